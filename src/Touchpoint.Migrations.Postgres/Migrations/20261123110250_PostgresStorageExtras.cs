using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Postgres.Migrations
{
    /// <summary>
    /// What PostgreSQL allows beyond the EF model: a partial index over ready jobs, GIN indexes on queried
    /// JSON, monthly range partitions for the event tables (with a function to create future months) and a
    /// trigger that keeps memory events append-only.
    /// </summary>
    public partial class PostgresStorageExtras : Migration
    {
        static readonly (string Table, string[] Indexes)[] PartitionedTables =
        [
            ("memory_events",
            [
                "ix_memory_events_workspace_id_contact_id_created_at (workspace_id, contact_id, created_at)",
                "ix_memory_events_workspace_id_event_type_created_at (workspace_id, event_type, created_at)",
            ]),
            ("message_events",
            [
                "ix_message_events_workspace_id_message_id_created_at (workspace_id, message_id, created_at)",
                "ix_message_events_workspace_id_created_at (workspace_id, created_at)",
            ]),
        ];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_scheduled_actions_ready ON scheduled_actions (run_at) WHERE status = 'pending';");
            migrationBuilder.Sql("CREATE INDEX ix_contacts_attributes_gin ON contacts USING GIN (attributes_json jsonb_path_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_contacts_tags_gin ON contacts USING GIN (tags);");
            migrationBuilder.Sql("CREATE INDEX ix_conversations_facts_gin ON conversations USING GIN (facts_json jsonb_path_ops);");

            migrationBuilder.Sql("""
                CREATE FUNCTION touchpoint_ensure_month_partitions(parent text, first_month date, months int)
                RETURNS int LANGUAGE plpgsql AS $$
                DECLARE
                    m date := date_trunc('month', first_month)::date;
                    created int := 0;
                    name text;
                BEGIN
                    FOR i IN 1..months LOOP
                        name := format('%s_y%sm%s', parent, to_char(m, 'YYYY'), to_char(m, 'MM'));
                        IF to_regclass(name) IS NULL THEN
                            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                                name, parent, m::timestamptz, (m + interval '1 month')::timestamptz);
                            created := created + 1;
                        END IF;
                        m := (m + interval '1 month')::date;
                    END LOOP;
                    RETURN created;
                END $$;
                """);

            foreach (var (table, indexes) in PartitionedTables)
            {
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} RENAME TO {table}_plain;
                    CREATE TABLE {table} (LIKE {table}_plain INCLUDING DEFAULTS) PARTITION BY RANGE (created_at);
                    CREATE TABLE {table}_default PARTITION OF {table} DEFAULT;
                    SELECT touchpoint_ensure_month_partitions('{table}', (now() - interval '1 month')::date, 15);
                    INSERT INTO {table} SELECT * FROM {table}_plain;
                    DROP TABLE {table}_plain;
                    ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (workspace_id, id, created_at);
                    """);
                foreach (var index in indexes)
                    migrationBuilder.Sql($"CREATE INDEX {index.Replace(" (", $" ON {table} (", StringComparison.Ordinal)};");
            }

            migrationBuilder.Sql("""
                CREATE FUNCTION touchpoint_reject_memory_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Erasure requests (and only they) may delete, inside a transaction that opts in explicitly.
                    IF TG_OP = 'DELETE' AND current_setting('touchpoint.erasure', true) = 'on' THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION 'memory_events is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'restrict_violation';
                END $$;
                CREATE TRIGGER trg_memory_events_append_only BEFORE UPDATE OR DELETE ON memory_events
                    FOR EACH ROW EXECUTE FUNCTION touchpoint_reject_memory_event_change();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_memory_events_append_only ON memory_events;
                DROP FUNCTION touchpoint_reject_memory_event_change();
                """);

            foreach (var (table, indexes) in PartitionedTables)
            {
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} RENAME TO {table}_partitioned;
                    CREATE TABLE {table} (LIKE {table}_partitioned INCLUDING DEFAULTS);
                    INSERT INTO {table} SELECT * FROM {table}_partitioned;
                    DROP TABLE {table}_partitioned;
                    ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (workspace_id, id, created_at);
                    """);
                foreach (var index in indexes)
                    migrationBuilder.Sql($"CREATE INDEX {index.Replace(" (", $" ON {table} (", StringComparison.Ordinal)};");
            }

            migrationBuilder.Sql("DROP FUNCTION touchpoint_ensure_month_partitions(text, date, int);");
            migrationBuilder.Sql("DROP INDEX ix_conversations_facts_gin;");
            migrationBuilder.Sql("DROP INDEX ix_contacts_tags_gin;");
            migrationBuilder.Sql("DROP INDEX ix_contacts_attributes_gin;");
            migrationBuilder.Sql("DROP INDEX ix_scheduled_actions_ready;");
        }
    }
}
