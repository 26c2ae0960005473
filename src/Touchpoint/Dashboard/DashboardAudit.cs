using Touchpoint.Features.Audit;

namespace Touchpoint.Dashboard;

/// <summary>
/// Audit action names for state changes only the dashboard makes (the API's own actions use <see cref="AuditActions"/>).
/// Entries go through <see cref="AuditLog"/>, so the actor reads as for the API: the key's prefix and name.
/// </summary>
public static class DashboardAudit
{
    public const string ConversationMoved = "conversation.moved";
    public const string ConversationReplied = "conversation.replied";
    public const string ConversationClaimed = "conversation.claimed";
    public const string ConversationReleased = "conversation.released";
    public const string DraftApproved = "conversation.draft_approved";
    public const string DraftRejected = "conversation.draft_rejected";
    public const string ProviderUpdated = "provider.updated";
    public const string JobRetried = "job.retried";
    public const string DeliveryReprocessed = "webhook_delivery.reprocessed";
    public const string CommandRun = "command.run";

    /// <summary>Marks the entry as made in the dashboard, next to the action's own details.</summary>
    public static object Detail(object detail) => new { via = "dashboard", detail };
}
