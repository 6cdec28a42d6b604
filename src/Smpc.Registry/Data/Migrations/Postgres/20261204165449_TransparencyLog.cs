using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Smpc.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TransparencyLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "transparency_cosignatures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Witness = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "text", nullable: false),
                    Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Signature = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_cosignatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "transparency_entries",
                columns: table => new
                {
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Study = table.Column<string>(type: "text", nullable: true),
                    Canonical = table.Column<string>(type: "text", nullable: false),
                    LeafHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_entries", x => x.Position);
                });

            migrationBuilder.CreateTable(
                name: "transparency_heads",
                columns: table => new
                {
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_heads", x => x.Size);
                });

            migrationBuilder.CreateTable(
                name: "transparency_keys",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    PublicKey = table.Column<string>(type: "text", nullable: false),
                    Added = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_keys", x => x.KeyId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_transparency_cosignatures_Size_KeyId",
                table: "transparency_cosignatures",
                columns: new[] { "Size", "KeyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_transparency_entries_Study_Kind",
                table: "transparency_entries",
                columns: new[] { "Study", "Kind" });

            foreach (var sql in Smpc.Registry.Transparency.AppendOnlySql.Postgres()) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Smpc.Registry.Transparency.AppendOnlySql.PostgresDown()) migrationBuilder.Sql(sql);

            migrationBuilder.DropTable(
                name: "transparency_cosignatures");

            migrationBuilder.DropTable(
                name: "transparency_entries");

            migrationBuilder.DropTable(
                name: "transparency_heads");

            migrationBuilder.DropTable(
                name: "transparency_keys");
        }
    }
}
