using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDedupeIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_message_events_workspace_id_provider_provider_event_id",
                table: "message_events",
                columns: new[] { "workspace_id", "provider", "provider_event_id" },
                filter: "provider_event_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_workspace_id_provider_message_id",
                table: "inbound_messages",
                columns: new[] { "workspace_id", "provider_message_id" },
                filter: "provider_message_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_message_events_workspace_id_provider_provider_event_id",
                table: "message_events");

            migrationBuilder.DropIndex(
                name: "ix_inbound_messages_workspace_id_provider_message_id",
                table: "inbound_messages");
        }
    }
}
