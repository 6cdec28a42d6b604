using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Smpc.Registry.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Witness = table.Column<string>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_cosignatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "transparency_entries",
                columns: table => new
                {
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Study = table.Column<string>(type: "TEXT", nullable: true),
                    Canonical = table.Column<string>(type: "TEXT", nullable: false),
                    LeafHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_entries", x => x.Position);
                });

            migrationBuilder.CreateTable(
                name: "transparency_heads",
                columns: table => new
                {
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_heads", x => x.Size);
                });

            migrationBuilder.CreateTable(
                name: "transparency_keys",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    PublicKey = table.Column<string>(type: "TEXT", nullable: false),
                    Added = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            foreach (var sql in Smpc.Registry.Transparency.AppendOnlySql.Sqlite()) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Smpc.Registry.Transparency.AppendOnlySql.SqliteDown()) migrationBuilder.Sql(sql);

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
