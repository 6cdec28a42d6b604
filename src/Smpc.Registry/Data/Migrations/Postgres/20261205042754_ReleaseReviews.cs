using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Smpc.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReleaseReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "release_reviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StudyId = table.Column<Guid>(type: "uuid", nullable: false),
                    DatasetId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Party = table.Column<int>(type: "integer", nullable: false),
                    Analyst = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Request = table.Column<string>(type: "text", nullable: false),
                    ForAnalyst = table.Column<string>(type: "text", nullable: false),
                    ForSteward = table.Column<string>(type: "text", nullable: false),
                    SubmittedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_release_reviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_release_reviews_datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_release_reviews_studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_release_reviews_DatasetId",
                table: "release_reviews",
                column: "DatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_release_reviews_StudyId_DatasetId_Status",
                table: "release_reviews",
                columns: new[] { "StudyId", "DatasetId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_release_reviews_StudyId_ReviewId_DatasetId_Party",
                table: "release_reviews",
                columns: new[] { "StudyId", "ReviewId", "DatasetId", "Party" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "release_reviews");
        }
    }
}
