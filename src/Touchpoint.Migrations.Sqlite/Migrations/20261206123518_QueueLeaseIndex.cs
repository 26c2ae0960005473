using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QueueLeaseIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_locked_until",
                table: "scheduled_actions",
                column: "locked_until",
                filter: "locked_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_workspace_id_created_at",
                table: "scheduled_actions",
                columns: new[] { "workspace_id", "created_at" },
                filter: "status = 'dead'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_locked_until",
                table: "scheduled_actions");

            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_workspace_id_created_at",
                table: "scheduled_actions");
        }
    }
}
