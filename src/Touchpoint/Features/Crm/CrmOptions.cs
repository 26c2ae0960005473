namespace Touchpoint.Features.Crm;

/// <summary>CRM tuning, section <c>Touchpoint:Crm</c>.</summary>
public sealed class CrmOptions
{
    public const string Section = "Touchpoint:Crm";

    /// <summary>AI-proposed tags below this confidence wait for a human to confirm them.</summary>
    public double TagConfirmationThreshold { get; set; } = 0.7;
    /// <summary>Messages besides summary and facts that the agent sees.</summary>
    public int AgentRecentMessages { get; set; } = 6;
    /// <summary>Tool-call rounds per agent turn before the turn is cut (a model looping on tools).</summary>
    public int AgentMaxToolRounds { get; set; } = 4;
    /// <summary>How far back a tick looks for a missed time_window occurrence (a node that was down catches up once).</summary>
    public TimeSpan AutomationLookback { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Cron (UTC) of the automation tick.</summary>
    public string AutomationTickCron { get; set; } = "*/5 * * * *";
}
