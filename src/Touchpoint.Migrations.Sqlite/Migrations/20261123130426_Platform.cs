using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Platform : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_status_run_at",
                table: "scheduled_actions");

            migrationBuilder.RenameColumn(
                name: "response_json",
                table: "idempotency_records",
                newName: "response_body");

            migrationBuilder.AddColumn<bool>(
                name: "configured",
                table: "send_rate_limits",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "response_content_type",
                table: "idempotency_records",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response_location",
                table: "idempotency_records",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_status_priority_run_at",
                table: "scheduled_actions",
                columns: new[] { "status", "priority", "run_at" },
                descending: new[] { false, true, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_status_priority_run_at",
                table: "scheduled_actions");

            migrationBuilder.DropColumn(
                name: "configured",
                table: "send_rate_limits");

            migrationBuilder.DropColumn(
                name: "response_content_type",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "response_location",
                table: "idempotency_records");

            migrationBuilder.RenameColumn(
                name: "response_body",
                table: "idempotency_records",
                newName: "response_json");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_status_run_at",
                table: "scheduled_actions",
                columns: new[] { "status", "run_at" });
        }
    }
}
