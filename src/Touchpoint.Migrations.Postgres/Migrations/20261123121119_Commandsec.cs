using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Postgres.Migrations
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
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "confirm_expires_at",
                table: "command_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "confirm_token_hash",
                table: "command_runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "resolved_by",
                table: "command_runs",
                type: "character varying(16)",
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
