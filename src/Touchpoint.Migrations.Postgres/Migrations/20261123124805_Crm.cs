using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Crm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_contact_id_channel",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_created_a",
                table: "conversation_messages");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "escalated_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "escalation_reason",
                table: "conversations",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "message_count",
                table: "conversations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "sequence",
                table: "conversation_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "api_key",
                table: "agents",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_conversations_workspace_id_contact_id_channel",
                table: "conversations",
                columns: new[] { "workspace_id", "contact_id", "channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages",
                columns: new[] { "workspace_id", "conversation_id", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_conversations_workspace_id_contact_id_channel",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages");

            migrationBuilder.DropColumn(
                name: "escalated_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "escalation_reason",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "message_count",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "conversation_messages");

            migrationBuilder.DropColumn(
                name: "api_key",
                table: "agents");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_contact_id_channel",
                table: "conversations",
                columns: new[] { "workspace_id", "contact_id", "channel" });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_created_a",
                table: "conversation_messages",
                columns: new[] { "workspace_id", "conversation_id", "created_at" });
        }
    }
}
