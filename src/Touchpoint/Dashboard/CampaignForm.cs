using System.Globalization;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Shared;

namespace Touchpoint.Dashboard;

/// <summary>
/// The campaign form as posted (all text). <see cref="ToRequest"/> parses it into the API's request shape and
/// reports parse failures under the API's field names (<c>policy.quietHours.start</c>, <c>steps[1].channel</c>);
/// the plan rules themselves are left to <see cref="CampaignService.Validate"/>.
/// </summary>
public sealed class CampaignForm
{
    public const int StepRows = 3;

    public string? Name { get; set; }
    public string? Timezone { get; set; }
    public string? QuietStart { get; set; } = "21:00";
    public string? QuietEnd { get; set; } = "08:00";
    public string? MaxPerDay { get; set; } = "1";
    public string? MaxPerWeek { get; set; } = "3";
    public string? AllowedChannels { get; set; } = "sms, email";
    public string? Preset { get; set; } = "BALANCED";
    public List<StepForm> Steps { get; set; } = [];

    public IEnumerable<StepForm> RowsForDisplay() =>
        Steps.Concat(Enumerable.Range(0, Math.Max(0, StepRows - Steps.Count)).Select(_ => new StepForm()));

    public (CampaignRequest Request, FieldErrors Errors) ToRequest()
    {
        var errors = new FieldErrors();
        var quiet = ParseQuietHours(errors);
        var allowed = new List<Channel>();
        foreach (var channelName in (AllowedChannels ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (WireName.TryParse<Channel>(channelName, out var c)) allowed.Add(c);
            else errors.Add("policy.allowedChannels", $"'{channelName}' is not one of {string.Join(", ", WireName.All<Channel>())}.");
        if (!WireName.TryParse<FollowUpPreset>(Preset, out var preset))
            errors.Add("policy.preset", $"must be one of {string.Join(", ", WireName.All<FollowUpPreset>())}.");
        var policy = new CampaignPolicy(quiet, Int(MaxPerDay, "policy.maxTouchesPerDay", errors),
            Int(MaxPerWeek, "policy.maxTouchesPerWeek", errors), allowed, preset);

        var steps = new List<CampaignStep>();
        foreach (var row in Steps.Where(s => !string.IsNullOrWhiteSpace(s.Template)))
        {
            var field = $"steps[{steps.Count}]";
            if (!WireName.TryParse<Channel>(row.Channel, out var channel))
                errors.Add($"{field}.channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
            var delay = Int(row.DelayMinutes, $"{field}.delayMinutes", errors);
            steps.Add(new CampaignStep(channel, row.Template!.Trim(), delay,
                new FallbackRouting([channel], MaxAttempts: 1, CooldownMinutes: 0)));
        }
        var name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        var timezone = string.IsNullOrWhiteSpace(Timezone) ? null : Timezone.Trim();
        return (new CampaignRequest(name, timezone, policy, steps), errors);
    }

    QuietHours? ParseQuietHours(FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(QuietStart) && string.IsNullOrWhiteSpace(QuietEnd)) return null;
        var start = Time(QuietStart, "policy.quietHours.start", errors);
        var end = Time(QuietEnd, "policy.quietHours.end", errors);
        return start is { } s && end is { } e ? new QuietHours(s, e) : null;
    }

    static TimeOnly? Time(string? text, string field, FieldErrors errors)
    {
        if (TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        errors.Add(field, "must be a time as HH:mm (e.g. 21:00).");
        return null;
    }

    static int? Int(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        errors.Add(field, "must be a whole number.");
        return null;
    }
}

public sealed class StepForm
{
    public string? Channel { get; set; } = "sms";
    public string? DelayMinutes { get; set; }
    public string? Template { get; set; }
}
