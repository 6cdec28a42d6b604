using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Smpc.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StudyPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "plan",
                table: "studies",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "plan",
                table: "studies");
        }
    }
}
