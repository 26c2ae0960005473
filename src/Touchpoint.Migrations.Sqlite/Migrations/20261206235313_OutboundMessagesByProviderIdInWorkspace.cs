using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutboundMessagesByProviderIdInWorkspace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbound_messages_provider_provider_message_id",
                table: "outbound_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_workspace_id_provider_provider_message_id",
                table: "outbound_messages",
                columns: new[] { "workspace_id", "provider", "provider_message_id" },
                filter: "provider_message_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbound_messages_workspace_id_provider_provider_message_id",
                table: "outbound_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_provider_provider_message_id",
                table: "outbound_messages",
                columns: new[] { "provider", "provider_message_id" });
        }
    }
}
