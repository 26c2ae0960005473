using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Commandsec : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "confidence",
                table: "command_runs",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<long>(
                name: "confirm_expires_at",
                table: "command_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "confirm_token_hash",
                table: "command_runs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "resolved_by",
                table: "command_runs",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_command_runs_workspace_id_confirm_token_hash",
                table: "command_runs",
                columns: new[] { "workspace_id", "confirm_token_hash" },
                unique: true,
                filter: "confirm_token_hash IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_command_runs_workspace_id_confirm_token_hash",
                table: "command_runs");

            migrationBuilder.DropColumn(
                name: "confidence",
                table: "command_runs");

            migrationBuilder.DropColumn(
                name: "confirm_expires_at",
                table: "command_runs");

            migrationBuilder.DropColumn(
                name: "confirm_token_hash",
                table: "command_runs");

            migrationBuilder.DropColumn(
                name: "resolved_by",
                table: "command_runs");
        }
    }
}
