using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "memory_events",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    direction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    payload_json = table.Column<string>(type: "jsonb", nullable: false),
                    score_delta = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_memory_events", x => new { x.workspace_id, x.id, x.created_at });
                });

            migrationBuilder.CreateTable(
                name: "message_events",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    event_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    provider_event_id = table.Column<string>(type: "text", nullable: true),
                    error_code = table.Column<string>(type: "text", nullable: true),
                    payload_json = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_events", x => new { x.workspace_id, x.id, x.created_at });
                });

            migrationBuilder.CreateTable(
                name: "scheduled_actions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    payload_json = table.Column<string>(type: "jsonb", nullable: false),
                    run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    max_attempts = table.Column<int>(type: "integer", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lock_token = table.Column<Guid>(type: "uuid", nullable: true),
                    locked_by = table.Column<string>(type: "text", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_actions", x => new { x.workspace_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    default_region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    budget_tier = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    qa_sink_json = table.Column<string>(type: "jsonb", nullable: false),
                    help_text = table.Column<string>(type: "text", nullable: true),
                    opt_out_confirmation = table.Column<string>(type: "text", nullable: true),
                    create_contacts_from_unknown_senders = table.Column<bool>(type: "boolean", nullable: false),
                    settings_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workspaces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agents",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: true),
                    endpoint = table.Column<string>(type: "text", nullable: true),
                    system_prompt = table.Column<string>(type: "text", nullable: true),
                    tools = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agents", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_agents_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_api_keys_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    target = table.Column<string>(type: "text", nullable: true),
                    detail_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_audit_log_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_rules",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    column_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "text", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    schedule = table.Column<string>(type: "text", nullable: true),
                    inactivity_hours = table.Column<int>(type: "integer", nullable: true),
                    tag_slug = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    action_json = table.Column<string>(type: "jsonb", nullable: false),
                    guardrails_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_rules", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_automation_rules_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "boards",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_boards", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_boards_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    timezone = table.Column<string>(type: "text", nullable: true),
                    policy_json = table.Column<string>(type: "jsonb", nullable: false),
                    current_plan_version = table.Column<int>(type: "integer", nullable: false),
                    is_reactivation = table.Column<bool>(type: "boolean", nullable: false),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_campaigns_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "command_runs",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    intent = table.Column<string>(type: "text", nullable: true),
                    arguments_json = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    result_json = table.Column<string>(type: "jsonb", nullable: true),
                    actor = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_command_runs", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_command_runs_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    first_name = table.Column<string>(type: "text", nullable: true),
                    last_name = table.Column<string>(type: "text", nullable: true),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    stage = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    attributes_json = table.Column<string>(type: "jsonb", nullable: false),
                    fatigue_score = table.Column<int>(type: "integer", nullable: false),
                    last_touch_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reactivation_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_contacts_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "email_validation_results",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    verdict = table.Column<string>(type: "text", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: true),
                    result_json = table.Column<string>(type: "jsonb", nullable: false),
                    validated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_validation_results", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_email_validation_results_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    method = table.Column<string>(type: "text", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false),
                    request_hash = table.Column<string>(type: "text", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    response_json = table.Column<string>(type: "jsonb", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_idempotency_records_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbound_messages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    webhook_delivery_id = table.Column<Guid>(type: "uuid", nullable: true),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    from_address = table.Column<string>(type: "text", nullable: false),
                    to_address = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "text", nullable: false),
                    provider_message_id = table.Column<string>(type: "text", nullable: true),
                    keyword_class = table.Column<string>(type: "text", nullable: true),
                    keyword = table.Column<string>(type: "text", nullable: true),
                    intent = table.Column<string>(type: "text", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_messages", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_inbound_messages_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outreach_attestations",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    attested_by = table.Column<string>(type: "text", nullable: false),
                    channels = table.Column<List<string>>(type: "text[]", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    consent_basis = table.Column<string>(type: "text", nullable: false),
                    granted = table.Column<bool>(type: "boolean", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outreach_attestations", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_outreach_attestations_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "provider_settings",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    settings_json = table.Column<string>(type: "jsonb", nullable: false),
                    protected_secrets = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provider_settings", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_provider_settings_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "review_items",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    inbound_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    paused_enrollment_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    resolved_by = table.Column<string>(type: "text", nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_review_items", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_review_items_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sandbox_outbox",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    step_index = table.Column<int>(type: "integer", nullable: true),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    to = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "text", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sandbox_outbox", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sandbox_outbox_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "send_rate_limits",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "text", nullable: false),
                    scope_key = table.Column<string>(type: "text", nullable: false),
                    rate_per_second = table.Column<double>(type: "double precision", nullable: false),
                    burst = table.Column<int>(type: "integer", nullable: false),
                    tokens = table.Column<double>(type: "double precision", nullable: false),
                    refilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_send_rate_limits", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_send_rate_limits_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sender_identities",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    address = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: true),
                    domain = table.Column<string>(type: "text", nullable: true),
                    verification = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    provider_reference = table.Column<string>(type: "text", nullable: true),
                    last_validated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sender_identities", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sender_identities_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "strategy_versions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version_number = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    tone = table.Column<string>(type: "text", nullable: true),
                    objectives = table.Column<string>(type: "text", nullable: true),
                    objection_handling = table.Column<string>(type: "text", nullable: true),
                    cta_rules = table.Column<string>(type: "text", nullable: true),
                    follow_up_preset = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    interval_overrides_json = table.Column<string>(type: "jsonb", nullable: false),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_strategy_versions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_strategy_versions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    method = table.Column<string>(type: "text", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false),
                    query_string = table.Column<string>(type: "text", nullable: true),
                    headers_json = table.Column<string>(type: "jsonb", nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    remote_address = table.Column<string>(type: "text", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    signature_verdict = table.Column<string>(type: "text", nullable: true),
                    provider_event_id = table.Column<string>(type: "text", nullable: true),
                    dedupe_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_runs",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    occurrence_key = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    result_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_runs", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_automation_runs_automation_rules_rule_id",
                        columns: x => new { x.workspace_id, x.rule_id },
                        principalTable: "automation_rules",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_automation_runs_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "board_columns",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    board_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    config_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_board_columns", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_board_columns_boards_board_id",
                        columns: x => new { x.workspace_id, x.board_id },
                        principalTable: "boards",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_board_columns_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaign_plan_versions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    plan_json = table.Column<string>(type: "jsonb", nullable: false),
                    plan_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_plan_versions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_campaign_plan_versions_campaigns_campaign_id",
                        columns: x => new { x.workspace_id, x.campaign_id },
                        principalTable: "campaigns",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_plan_versions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consent_records",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    policy_version = table.Column<string>(type: "text", nullable: true),
                    evidence_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_records", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_consent_records_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_consent_records_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consents",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    captured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    policy_version = table.Column<string>(type: "text", nullable: true),
                    latest_record_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consents", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_consents_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_consents_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contact_channels",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    value = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    is_primary = table.Column<bool>(type: "boolean", nullable: false),
                    dnc = table.Column<bool>(type: "boolean", nullable: false),
                    timezone = table.Column<string>(type: "text", nullable: true),
                    validation_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_channels", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_contact_channels_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_contact_channels_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversation_threads",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    agent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_threads", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversation_threads_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_threads_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outbound_messages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    step_index = table.Column<int>(type: "integer", nullable: true),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    to_address = table.Column<string>(type: "text", nullable: true),
                    from_address = table.Column<string>(type: "text", nullable: true),
                    subject = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "text", nullable: true),
                    template_key = table.Column<string>(type: "text", nullable: true),
                    variables_json = table.Column<string>(type: "jsonb", nullable: false),
                    purpose = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    provider_message_id = table.Column<string>(type: "text", nullable: true),
                    cost = table.Column<decimal>(type: "numeric(12,5)", precision: 12, scale: 5, nullable: true),
                    currency = table.Column<string>(type: "text", nullable: true),
                    error_code = table.Column<string>(type: "text", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    policy_decision_id = table.Column<Guid>(type: "uuid", nullable: true),
                    qa_redirected_from = table.Column<string>(type: "text", nullable: true),
                    scheduled_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sending_lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_messages", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_outbound_messages_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_outbound_messages_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "policy_decisions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    allow_send = table.Column<bool>(type: "boolean", nullable: false),
                    reason_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    rule_trace_json = table.Column<string>(type: "jsonb", nullable: false),
                    next_allowed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policy_decisions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_policy_decisions_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_policy_decisions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    value = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppressions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_suppressions_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_suppressions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tag_events",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tag_slug = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    confidence = table.Column<double>(type: "double precision", nullable: true),
                    evidence_json = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tag_events", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_tag_events_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_tag_events_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    board_id = table.Column<Guid>(type: "uuid", nullable: false),
                    column_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    contact_handle = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: true),
                    summary_version = table.Column<int>(type: "integer", nullable: false),
                    last_summarized_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    facts_json = table.Column<string>(type: "jsonb", nullable: false),
                    facts_version = table.Column<int>(type: "integer", nullable: false),
                    overrides_json = table.Column<string>(type: "jsonb", nullable: false),
                    claimed_by = table.Column<string>(type: "text", nullable: true),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_message_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_inbound_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversations_board_columns_column_id",
                        columns: x => new { x.workspace_id, x.column_id },
                        principalTable: "board_columns",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_conversations_boards_board_id",
                        columns: x => new { x.workspace_id, x.board_id },
                        principalTable: "boards",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversations_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversations_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaign_steps",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step_index = table.Column<int>(type: "integer", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    template = table.Column<string>(type: "text", nullable: true),
                    template_key = table.Column<string>(type: "text", nullable: true),
                    delay_minutes = table.Column<int>(type: "integer", nullable: false),
                    fallback_json = table.Column<string>(type: "jsonb", nullable: false),
                    stop_on_events = table.Column<List<string>>(type: "text[]", nullable: false),
                    expires_after_minutes = table.Column<int>(type: "integer", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_steps", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_campaign_steps_campaign_plan_versions_plan_version_id",
                        columns: x => new { x.workspace_id, x.plan_version_id },
                        principalTable: "campaign_plan_versions",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_steps_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "enrollments",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    step_index = table.Column<int>(type: "integer", nullable: false),
                    attempts_total = table.Column<int>(type: "integer", nullable: false),
                    fatigue_score = table.Column<int>(type: "integer", nullable: false),
                    current_channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_action_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    stopped_reason = table.Column<string>(type: "text", nullable: true),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    routing_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollments", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_enrollments_campaign_plan_versions_plan_version_id",
                        columns: x => new { x.workspace_id, x.plan_version_id },
                        principalTable: "campaign_plan_versions",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_enrollments_campaigns_campaign_id",
                        columns: x => new { x.workspace_id, x.campaign_id },
                        principalTable: "campaigns",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_enrollments_contacts_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_enrollments_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "chat_messages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    thread_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    tool_calls_json = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_messages", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_chat_messages_conversation_threads_thread_id",
                        columns: x => new { x.workspace_id, x.thread_id },
                        principalTable: "conversation_threads",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_messages_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversation_memory_versions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: true),
                    facts_json = table.Column<string>(type: "jsonb", nullable: false),
                    source_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_memory_versions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversation_memory_versions_conversations_conversation_id",
                        columns: x => new { x.workspace_id, x.conversation_id },
                        principalTable: "conversations",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_memory_versions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conversation_messages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    direction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: true),
                    external_id = table.Column<string>(type: "text", nullable: true),
                    content = table.Column<string>(type: "text", nullable: false),
                    raw_payload_json = table.Column<string>(type: "jsonb", nullable: false),
                    outbound_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    approval_state = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_messages", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversation_messages_conversations_conversation_id",
                        columns: x => new { x.workspace_id, x.conversation_id },
                        principalTable: "conversations",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_messages_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaign_transitions",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    enrollment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    to_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    cause = table.Column<string>(type: "text", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: true),
                    detail_json = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_transitions", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_campaign_transitions_enrollments_enrollment_id",
                        columns: x => new { x.workspace_id, x.enrollment_id },
                        principalTable: "enrollments",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_transitions_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_workspace_id_created_at",
                table: "audit_log",
                columns: new[] { "workspace_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_automation_rules_workspace_id_enabled",
                table: "automation_rules",
                columns: new[] { "workspace_id", "enabled" });

            migrationBuilder.CreateIndex(
                name: "ux_automation_runs_workspace_id_rule_id_occurrence_key",
                table: "automation_runs",
                columns: new[] { "workspace_id", "rule_id", "occurrence_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_board_columns_workspace_id_board_id_position",
                table: "board_columns",
                columns: new[] { "workspace_id", "board_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ux_campaign_plan_versions_workspace_id_campaign_id_version",
                table: "campaign_plan_versions",
                columns: new[] { "workspace_id", "campaign_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_campaign_steps_workspace_id_plan_version_id_step_index",
                table: "campaign_steps",
                columns: new[] { "workspace_id", "plan_version_id", "step_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_campaign_transitions_workspace_id_enrollment_id_created_at",
                table: "campaign_transitions",
                columns: new[] { "workspace_id", "enrollment_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_workspace_id_status",
                table: "campaigns",
                columns: new[] { "workspace_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_chat_messages_workspace_id_thread_id_created_at",
                table: "chat_messages",
                columns: new[] { "workspace_id", "thread_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_command_runs_workspace_id_created_at",
                table: "command_runs",
                columns: new[] { "workspace_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_consent_records_workspace_id_contact_id_channel_captured_at",
                table: "consent_records",
                columns: new[] { "workspace_id", "contact_id", "channel", "captured_at" });

            migrationBuilder.CreateIndex(
                name: "ix_consents_workspace_id_channel_status",
                table: "consents",
                columns: new[] { "workspace_id", "channel", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_consents_workspace_id_contact_id_channel",
                table: "consents",
                columns: new[] { "workspace_id", "contact_id", "channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contact_channels_workspace_id_value",
                table: "contact_channels",
                columns: new[] { "workspace_id", "value" });

            migrationBuilder.CreateIndex(
                name: "ux_contact_channels_workspace_id_contact_id_kind_value",
                table: "contact_channels",
                columns: new[] { "workspace_id", "contact_id", "kind", "value" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_workspace_id_stage",
                table: "contacts",
                columns: new[] { "workspace_id", "stage" });

            migrationBuilder.CreateIndex(
                name: "ux_contacts_workspace_id_external_id",
                table: "contacts",
                columns: new[] { "workspace_id", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_conversation_memory_versions_workspace_id_conversation_id_ve",
                table: "conversation_memory_versions",
                columns: new[] { "workspace_id", "conversation_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversation_messages_workspace_id_conversation_id_created_a",
                table: "conversation_messages",
                columns: new[] { "workspace_id", "conversation_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_threads_workspace_id_contact_id",
                table: "conversation_threads",
                columns: new[] { "workspace_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_board_id_column_id",
                table: "conversations",
                columns: new[] { "workspace_id", "board_id", "column_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_column_id",
                table: "conversations",
                columns: new[] { "workspace_id", "column_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_contact_id_channel",
                table: "conversations",
                columns: new[] { "workspace_id", "contact_id", "channel" });

            migrationBuilder.CreateIndex(
                name: "ux_email_validation_results_workspace_id_email",
                table: "email_validation_results",
                columns: new[] { "workspace_id", "email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_next_action_at",
                table: "enrollments",
                column: "next_action_at");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_workspace_id_campaign_id_state",
                table: "enrollments",
                columns: new[] { "workspace_id", "campaign_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_workspace_id_contact_id",
                table: "enrollments",
                columns: new[] { "workspace_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_workspace_id_plan_version_id",
                table: "enrollments",
                columns: new[] { "workspace_id", "plan_version_id" });

            migrationBuilder.CreateIndex(
                name: "ux_enrollments_workspace_id_campaign_id_contact_id",
                table: "enrollments",
                columns: new[] { "workspace_id", "campaign_id", "contact_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_idempotency_records_workspace_id_key",
                table: "idempotency_records",
                columns: new[] { "workspace_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_workspace_id_contact_id_received_at",
                table: "inbound_messages",
                columns: new[] { "workspace_id", "contact_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ux_inbound_messages_workspace_id_channel_provider_message_id",
                table: "inbound_messages",
                columns: new[] { "workspace_id", "channel", "provider_message_id" },
                unique: true,
                filter: "provider_message_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_memory_events_workspace_id_contact_id_created_at",
                table: "memory_events",
                columns: new[] { "workspace_id", "contact_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_memory_events_workspace_id_event_type_created_at",
                table: "memory_events",
                columns: new[] { "workspace_id", "event_type", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_message_events_workspace_id_created_at",
                table: "message_events",
                columns: new[] { "workspace_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_message_events_workspace_id_message_id_created_at",
                table: "message_events",
                columns: new[] { "workspace_id", "message_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_provider_provider_message_id",
                table: "outbound_messages",
                columns: new[] { "provider", "provider_message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_workspace_id_contact_id_created_at",
                table: "outbound_messages",
                columns: new[] { "workspace_id", "contact_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_workspace_id_status",
                table: "outbound_messages",
                columns: new[] { "workspace_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_outbound_messages_workspace_id_idempotency_key",
                table: "outbound_messages",
                columns: new[] { "workspace_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outreach_attestations_workspace_id_expires_at",
                table: "outreach_attestations",
                columns: new[] { "workspace_id", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_policy_decisions_workspace_id_contact_id_created_at",
                table: "policy_decisions",
                columns: new[] { "workspace_id", "contact_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_policy_decisions_workspace_id_enrollment_id_created_at",
                table: "policy_decisions",
                columns: new[] { "workspace_id", "enrollment_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_policy_decisions_workspace_id_reason_code_created_at",
                table: "policy_decisions",
                columns: new[] { "workspace_id", "reason_code", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_provider_settings_workspace_id_channel",
                table: "provider_settings",
                columns: new[] { "workspace_id", "channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_review_items_workspace_id_status_created_at",
                table: "review_items",
                columns: new[] { "workspace_id", "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sandbox_outbox_workspace_id_contact_id_sent_at",
                table: "sandbox_outbox",
                columns: new[] { "workspace_id", "contact_id", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ux_sandbox_outbox_workspace_id_message_id",
                table: "sandbox_outbox",
                columns: new[] { "workspace_id", "message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_actions_status_run_at",
                table: "scheduled_actions",
                columns: new[] { "status", "run_at" });

            migrationBuilder.CreateIndex(
                name: "ux_scheduled_actions_workspace_id_idempotency_key",
                table: "scheduled_actions",
                columns: new[] { "workspace_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_send_rate_limits_workspace_id_scope_scope_key",
                table: "send_rate_limits",
                columns: new[] { "workspace_id", "scope", "scope_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_sender_identities_workspace_id_channel_address",
                table: "sender_identities",
                columns: new[] { "workspace_id", "channel", "address" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_strategy_versions_one_active",
                table: "strategy_versions",
                column: "workspace_id",
                unique: true,
                filter: "status = 'ACTIVE'");

            migrationBuilder.CreateIndex(
                name: "ux_strategy_versions_workspace_id_version_number",
                table: "strategy_versions",
                columns: new[] { "workspace_id", "version_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_workspace_id_contact_id",
                table: "suppressions",
                columns: new[] { "workspace_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_workspace_id_value",
                table: "suppressions",
                columns: new[] { "workspace_id", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_tag_events_workspace_id_contact_id_created_at",
                table: "tag_events",
                columns: new[] { "workspace_id", "contact_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_workspace_id_outcome",
                table: "webhook_deliveries",
                columns: new[] { "workspace_id", "outcome" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_workspace_id_received_at",
                table: "webhook_deliveries",
                columns: new[] { "workspace_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_deliveries_workspace_id_provider_dedupe_key",
                table: "webhook_deliveries",
                columns: new[] { "workspace_id", "provider", "dedupe_key" },
                unique: true,
                filter: "dedupe_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agents");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "automation_runs");

            migrationBuilder.DropTable(
                name: "campaign_steps");

            migrationBuilder.DropTable(
                name: "campaign_transitions");

            migrationBuilder.DropTable(
                name: "chat_messages");

            migrationBuilder.DropTable(
                name: "command_runs");

            migrationBuilder.DropTable(
                name: "consent_records");

            migrationBuilder.DropTable(
                name: "consents");

            migrationBuilder.DropTable(
                name: "contact_channels");

            migrationBuilder.DropTable(
                name: "conversation_memory_versions");

            migrationBuilder.DropTable(
                name: "conversation_messages");

            migrationBuilder.DropTable(
                name: "email_validation_results");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "inbound_messages");

            migrationBuilder.DropTable(
                name: "memory_events");

            migrationBuilder.DropTable(
                name: "message_events");

            migrationBuilder.DropTable(
                name: "outbound_messages");

            migrationBuilder.DropTable(
                name: "outreach_attestations");

            migrationBuilder.DropTable(
                name: "policy_decisions");

            migrationBuilder.DropTable(
                name: "provider_settings");

            migrationBuilder.DropTable(
                name: "review_items");

            migrationBuilder.DropTable(
                name: "sandbox_outbox");

            migrationBuilder.DropTable(
                name: "scheduled_actions");

            migrationBuilder.DropTable(
                name: "send_rate_limits");

            migrationBuilder.DropTable(
                name: "sender_identities");

            migrationBuilder.DropTable(
                name: "strategy_versions");

            migrationBuilder.DropTable(
                name: "suppressions");

            migrationBuilder.DropTable(
                name: "tag_events");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "automation_rules");

            migrationBuilder.DropTable(
                name: "enrollments");

            migrationBuilder.DropTable(
                name: "conversation_threads");

            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropTable(
                name: "campaign_plan_versions");

            migrationBuilder.DropTable(
                name: "board_columns");

            migrationBuilder.DropTable(
                name: "contacts");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropTable(
                name: "boards");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
