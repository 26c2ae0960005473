using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Postgres.Migrations
{
    /// <summary>
    /// Idempotency records keep the raw response (text, not jsonb, so replays are byte-identical); rate-limit
    /// buckets remember whether an operator configured them; the ready-jobs index follows the claim's order
    /// (priority DESC, run_at) so a claim walks it instead of sorting every due row; and an insert of due work
    /// into scheduled_actions sends NOTIFY touchpoint_jobs so idle workers wake at once (ARCHITECTURE §5) — a
    /// trigger rather than a call in the enqueue path, because the outbox inserts jobs through EF Core too.
    /// </summary>
    public partial class Platform : Migration
    {
        // Statement-level with a transition table: one NOTIFY per INSERT statement, however many rows it adds.
        // The 5 s horizon keeps far-future inserts (campaign schedules) from waking workers for nothing.
        const string NotifyTrigger = """
            CREATE FUNCTION touchpoint_notify_due_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM inserted WHERE status = 'pending' AND run_at <= now() + interval '5 seconds') THEN
                    PERFORM pg_notify('touchpoint_jobs', '');
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER trg_scheduled_actions_notify AFTER INSERT ON scheduled_actions
                REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION touchpoint_notify_due_jobs();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_status_run_at",
                table: "scheduled_actions");

            migrationBuilder.DropColumn(
                name: "response_json",
                table: "idempotency_records");

            migrationBuilder.AlterColumn<string>(
                name: "scope_key",
                table: "send_rate_limits",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "scope",
                table: "send_rate_limits",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<bool>(
                name: "configured",
                table: "send_rate_limits",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<string>(
                name: "request_hash",
                table: "idempotency_records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "path",
                table: "idempotency_records",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "method",
                table: "idempotency_records",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "key",
                table: "idempotency_records",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<string>(
                name: "response_body",
                table: "idempotency_records",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response_content_type",
                table: "idempotency_records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response_location",
                table: "idempotency_records",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_status_priority_run_at",
                table: "scheduled_actions",
                columns: new[] { "status", "priority", "run_at" },
                descending: new[] { false, true, false });

            migrationBuilder.Sql("""
                DROP INDEX ix_scheduled_actions_ready;
                CREATE INDEX ix_scheduled_actions_ready ON scheduled_actions (priority DESC, run_at) WHERE status = 'pending';
                """);
            migrationBuilder.Sql(NotifyTrigger);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_scheduled_actions_notify ON scheduled_actions;
                DROP FUNCTION touchpoint_notify_due_jobs();
                DROP INDEX ix_scheduled_actions_ready;
                CREATE INDEX ix_scheduled_actions_ready ON scheduled_actions (run_at) WHERE status = 'pending';
                """);

            migrationBuilder.DropIndex(
                name: "ix_scheduled_actions_status_priority_run_at",
                table: "scheduled_actions");

            migrationBuilder.DropColumn(
                name: "configured",
                table: "send_rate_limits");

            migrationBuilder.DropColumn(
                name: "response_body",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "response_content_type",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "response_location",
                table: "idempotency_records");

            migrationBuilder.AlterColumn<string>(
                name: "scope_key",
                table: "send_rate_limits",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(255)",
                oldMaxLength: 255);

            migrationBuilder.AlterColumn<string>(
                name: "scope",
                table: "send_rate_limits",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "request_hash",
                table: "idempotency_records",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<string>(
                name: "path",
                table: "idempotency_records",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(2048)",
                oldMaxLength: 2048);

            migrationBuilder.AlterColumn<string>(
                name: "method",
                table: "idempotency_records",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);

            migrationBuilder.AlterColumn<string>(
                name: "key",
                table: "idempotency_records",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(255)",
                oldMaxLength: 255);

            migrationBuilder.AddColumn<string>(
                name: "response_json",
                table: "idempotency_records",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_status_run_at",
                table: "scheduled_actions",
                columns: new[] { "status", "run_at" });
        }
    }
}
