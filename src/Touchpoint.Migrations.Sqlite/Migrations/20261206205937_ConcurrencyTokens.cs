using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConcurrencyTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages");

            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "enrollments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Concurrent appends could take one sequence number twice before this index: number each conversation's
            // messages 0..n-1 again (in their order) and its message_count with them, so the unique index can be built.
            migrationBuilder.Sql("""
                UPDATE conversation_messages AS m SET sequence = r.position
                FROM (SELECT workspace_id, id,
                        row_number() OVER (PARTITION BY workspace_id, conversation_id ORDER BY sequence, created_at, id) - 1 AS position
                      FROM conversation_messages) AS r
                WHERE m.workspace_id = r.workspace_id AND m.id = r.id AND m.sequence <> r.position;
                UPDATE conversations SET message_count = (SELECT count(*) FROM conversation_messages AS m
                    WHERE m.workspace_id = conversations.workspace_id AND m.conversation_id = conversations.id)
                WHERE message_count <> (SELECT count(*) FROM conversation_messages AS m
                    WHERE m.workspace_id = conversations.workspace_id AND m.conversation_id = conversations.id);
                """);

            migrationBuilder.CreateIndex(
                name: "ux_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages",
                columns: new[] { "workspace_id", "conversation_id", "sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages");

            migrationBuilder.DropColumn(
                name: "version",
                table: "enrollments");

            migrationBuilder.CreateIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_sequence",
                table: "conversation_messages",
                columns: new[] { "workspace_id", "conversation_id", "sequence" });
        }
    }
}
