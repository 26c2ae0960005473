using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Crm.Conversations;
using Touchpoint.Features.Crm.Tags;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>What running tool calls left for the dispatcher to judge.</summary>
public sealed class ToolEffects
{
    public List<string> ProposedTags { get; } = [];
    public string? HandOffReason { get; set; }
}

/// <summary>
/// The five CRM tools: their declarations (JSON schema, offered to the model only when whitelisted) and their
/// execution against the conversation. A call to a tool outside the whitelist never reaches here.
/// </summary>
public sealed class AgentToolbox(TouchpointDb db, TagService tags, ConversationService conversations, EnrollmentService enrollments,
    TimeProvider clock)
{
    static readonly Dictionary<string, (string Description, string Schema)> Declarations = new(StringComparer.Ordinal)
    {
        [CrmTools.TagContact] = ("Tag the contact (e.g. UPSET_CUSTOMER, INTENT_PURCHASE) with your confidence and the evidence.",
            """{"type":"object","properties":{"tag":{"type":"string"},"confidence":{"type":"number"},"evidence":{"type":"string"}},"required":["tag"]}"""),
        [CrmTools.MoveColumn] = ("Move the conversation to another column of its board, by column name.",
            """{"type":"object","properties":{"column":{"type":"string"},"reason":{"type":"string"}},"required":["column"]}"""),
        [CrmTools.BookMeeting] = ("Request a meeting with the contact; a human confirms the slot.",
            """{"type":"object","properties":{"at":{"type":"string"},"note":{"type":"string"}}}"""),
        [CrmTools.HandOff] = ("Hand the conversation to a human, with the reason.",
            """{"type":"object","properties":{"reason":{"type":"string"}},"required":["reason"]}"""),
        [CrmTools.EnrollInCampaign] = ("Enroll the contact in a campaign by id.",
            """{"type":"object","properties":{"campaignId":{"type":"string"}},"required":["campaignId"]}"""),
    };

    public static IList<AITool> For(IEnumerable<string> whitelist) =>
        [.. whitelist.Where(Declarations.ContainsKey).Distinct().Select(name =>
            (AITool)AIFunctionFactory.CreateDeclaration(name, Declarations[name].Description, JsonDocument.Parse(Declarations[name].Schema).RootElement))];

    public async Task<string> ExecuteAsync(Conversation c, string tool, IDictionary<string, object?> args, ToolEffects effects, CancellationToken ct)
    {
        switch (tool)
        {
            case CrmTools.TagContact:
            {
                var tag = TagService.Normalize(Text(args, "tag") ?? "");
                if (tag.Length == 0) return "error: tag is required";
                var confidence = Number(args, "confidence") ?? 1.0;
                var e = await tags.ProposeAsync(c.WorkspaceId, c.ContactId, c.Id, tag, TagSource.Ai, confidence,
                    new { evidence = Text(args, "evidence") }, ct);
                effects.ProposedTags.Add(tag);
                return e.Status == TagService.Pending ? $"tag {tag} proposed; pending human confirmation" : $"tag {tag} added";
            }
            case CrmTools.MoveColumn:
            {
                var name = Text(args, "column") ?? "";
                var column = await db.BoardColumns.FirstOrDefaultAsync(x => x.BoardId == c.BoardId && x.Name.ToLower() == name.ToLower(), ct);
                if (column is null) return $"error: no column '{name}' on this board";
                conversations.Move(c, column, "agent", Text(args, "reason"));
                return $"moved to {column.Name}";
            }
            case CrmTools.BookMeeting:
                db.MemoryEvents.Add(TimelineEvents.New(c.WorkspaceId, c.ContactId, "MEETING_REQUESTED", "agent", c.Channel,
                    new { conversationId = c.Id, at = Text(args, "at"), note = Text(args, "note") }, clock.GetUtcNow()));
                return "meeting request recorded; a human will confirm the slot";
            case CrmTools.HandOff:
                effects.HandOffReason = Text(args, "reason") ?? "agent asked for a human";
                return "handed off to a human";
            case CrmTools.EnrollInCampaign:
            {
                if (!Guid.TryParse(Text(args, "campaignId"), out var campaignId)) return "error: campaignId must be a campaign id";
                var result = await enrollments.EnrollAsync(campaignId, [c.ContactId], ct);
                return result is null ? $"error: campaign {campaignId} not found" : $"enrollment: {JsonSerializer.Serialize(result, JsonSerializerOptions.Web)}";
            }
            default:
                return $"error: unknown tool {tool}";
        }
    }

    static string? Text(IDictionary<string, object?> args, string key) => args.TryGetValue(key, out var v) ? v switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement e => e.ToString(),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    } : null;

    static double? Number(IDictionary<string, object?> args, string key) => args.TryGetValue(key, out var v) ? v switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), CultureInfo.InvariantCulture, out var d) => d,
        double d => d,
        float f => f,
        int i => i,
        decimal m => (double)m,
        _ => null,
    } : null;
}
