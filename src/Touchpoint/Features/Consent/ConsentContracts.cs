using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Consent;

public sealed record RecordConsentRequest(string? Status, string? Source, string? PolicyVersion, JsonElement? Evidence)
{
    /// <summary>Checks the route's channel and the body; the keys are the names the caller used.</summary>
    public FieldErrors Validate(string channel)
    {
        var errors = new FieldErrors();
        if (!WireName.TryParse<Channel>(channel, out _))
            errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        // "unknown" is the absence of a statement, so it cannot be recorded as one.
        if (!WireName.TryParse<ConsentStatus>(Status, out var status) || status == ConsentStatus.Unknown)
            errors.Add("status", "must be opt_in or opt_out.");
        errors.Required("source", Source);
        if (Source is { Length: > 64 }) errors.Add("source", "must be at most 64 characters.");
        if (PolicyVersion is { Length: > 64 }) errors.Add("policyVersion", "must be at most 64 characters.");
        if (Evidence is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add("evidence", "must be a JSON object (who, how, text, ip, userAgent, ...).");
        return errors;
    }
}

public sealed record ConsentRecordView(
    Guid Id, Guid ContactId, Channel Channel, ConsentStatus Status, string Source, DateTimeOffset CapturedAt,
    string? PolicyVersion, JsonElement Evidence)
{
    public static ConsentRecordView From(ConsentRecord r) =>
        new(r.Id, r.ContactId, r.Channel, r.Status, r.Source, r.CapturedAt, r.PolicyVersion,
            JsonSerializer.Deserialize<JsonElement>(r.EvidenceJson));
}

public sealed record ConsentHistory(Guid ContactId, Channel Channel, List<ConsentRecordView> Items);
