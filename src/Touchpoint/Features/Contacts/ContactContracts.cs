using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Contacts;

public sealed record ChannelInput(string? Kind, string? Value, bool? IsPrimary, string? Timezone);

public sealed record CreateContactRequest(
    string? ExternalId, string? FirstName, string? LastName, string? Timezone, string? Region,
    List<ChannelInput>? Channels, List<string>? Tags, JsonElement? Attributes);

public sealed record ChannelView(Guid Id, Channel Kind, string Value, bool IsPrimary, bool Dnc, string? Timezone);

public sealed record ConsentView(Channel Channel, ConsentStatus Status, string? Source, DateTimeOffset? CapturedAt, string? PolicyVersion);

public sealed record SuppressionSummary(Guid Id, SuppressionReason Reason, string? Value, Channel? Channel, DateTimeOffset? ExpiresAt);

public sealed record EnrollmentSummary(Guid Id, Guid CampaignId, EnrollmentState State, int StepIndex, DateTimeOffset? NextActionAt);

public sealed record ContactView(
    Guid Id, string? ExternalId, string? FirstName, string? LastName, string? Timezone, string? Region,
    LeadStage Stage, List<string> Tags, JsonElement Attributes, int FatigueScore,
    List<ChannelView> Channels, List<ConsentView> Consents, List<SuppressionSummary> Suppressions,
    List<EnrollmentSummary> Enrollments, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactView From(Contact c, List<ConsentView>? consents = null,
        List<SuppressionSummary>? suppressions = null, List<EnrollmentSummary>? enrollments = null) =>
        new(c.Id, c.ExternalId, c.FirstName, c.LastName, c.Timezone, c.Region, c.Stage, c.Tags,
            JsonSerializer.Deserialize<JsonElement>(c.AttributesJson), c.FatigueScore,
            [.. c.Channels.OrderByDescending(ch => ch.IsPrimary).ThenBy(ch => ch.CreatedAt)
                .Select(ch => new ChannelView(ch.Id, ch.Kind, ch.Value, ch.IsPrimary, ch.Dnc, ch.Timezone))],
            consents ?? [], suppressions ?? [], enrollments ?? [], c.CreatedAt, c.UpdatedAt);
}

public sealed record ContactPage(List<ContactView> Items, string? NextCursor);
