using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Campaigns;

/// <summary>
/// Checks a plan before it becomes a version. Errors are keyed by the JSON path of the field
/// (<c>steps[0].fallback.maxAttempts</c>) so the API can return them as a 400 validation problem.
/// </summary>
public static class CampaignPlanValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(CampaignPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        var p = plan.Policy;
        if (p is null) { Fail("policy", "is required"); return Freeze(errors); }
        if (p.MaxTouchesPerDay is < 1) Fail("policy.maxTouchesPerDay", "must be at least 1");
        if (p.MaxTouchesPerWeek is < 1) Fail("policy.maxTouchesPerWeek", "must be at least 1");
        if (p.MaxTouchesPerDay is { } day && p.MaxTouchesPerWeek is { } week && day > week)
            Fail("policy.maxTouchesPerDay", "cannot exceed maxTouchesPerWeek");
        if (p.AllowedChannels is null || p.AllowedChannels.Count == 0) Fail("policy.allowedChannels", "needs at least one channel");
        if (p.QuietHours is { } q && q.Start == q.End) Fail("policy.quietHours", "start and end must differ");
        if (p.IntervalOverrides?.DefaultMinutes is < 0) Fail("policy.intervalOverrides.defaultMinutes", "cannot be negative");
        foreach (var (index, minutes) in p.IntervalOverrides?.ByStep ?? new Dictionary<int, int>())
        {
            if (index < 0 || index >= (plan.Steps?.Count ?? 0)) Fail($"policy.intervalOverrides.byStep.{index}", "is not a step index");
            if (minutes < 0) Fail($"policy.intervalOverrides.byStep.{index}", "cannot be negative");
        }

        if (plan.Steps is null || plan.Steps.Count == 0) { Fail("steps", "needs at least one step"); return Freeze(errors); }
        var allowed = p.AllowedChannels ?? [];
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var s = plan.Steps[i];
            var at = $"steps[{i}]";
            if (string.IsNullOrWhiteSpace(s.Template) && string.IsNullOrWhiteSpace(s.TemplateKey)) Fail($"{at}.template", "is required");
            if (!allowed.Contains(s.Channel)) Fail($"{at}.channel", $"{WireName.Of(s.Channel)} is not in policy.allowedChannels");
            if (s.DelayMinutes is < 0) Fail($"{at}.delayMinutes", "cannot be negative");
            if (s.ExpiresAfterMinutes is < 1) Fail($"{at}.expiresAfterMinutes", "must be at least 1");
            foreach (var stop in (s.StopOnEvents ?? []).Where(e => !Orchestration.StopEvents.All.Contains(e)))
                Fail($"{at}.stopOnEvents", $"'{stop}' is not an event; use {string.Join(", ", Orchestration.StopEvents.All)}");
            if (s.Fallback is not { } f) continue;
            if (f.Order is null || f.Order.Count == 0) Fail($"{at}.fallback.order", "needs at least one channel");
            else
            {
                if (f.Order.Distinct().Count() != f.Order.Count) Fail($"{at}.fallback.order", "lists a channel twice");
                foreach (var c in f.Order.Where(c => !allowed.Contains(c)))
                    Fail($"{at}.fallback.order", $"{WireName.Of(c)} is not in policy.allowedChannels");
            }
            if (f.MaxAttempts < 1) Fail($"{at}.fallback.maxAttempts", "must be at least 1");
            if (f.CooldownMinutes < 0) Fail($"{at}.fallback.cooldownMinutes", "cannot be negative");
        }
        return Freeze(errors);
    }

    static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
