using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers.Sandbox;

/// <summary>
/// The default provider for every channel: "sending" writes the message to the local outbox
/// (<c>GET /api/v1/sandbox/outbox</c>). The row is saved with the dispatcher's status write, so a crash
/// loses both or neither; the idempotency key lets the crash reconciliation find it.
/// </summary>
public sealed class SandboxProvider(TouchpointDb db) : IMessageProvider
{
    public const string ProviderName = "sandbox";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => true;

    public Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        db.SandboxOutbox.Add(new SandboxOutboxItem
        {
            WorkspaceId = request.WorkspaceId, MessageId = request.MessageId, ContactId = request.ContactId,
            CampaignId = request.CampaignId, StepIndex = request.StepIndex, Channel = request.Channel, To = request.To,
            Subject = request.Subject, Body = request.Body, SentAt = request.Now, CreatedAt = request.Now,
        });
        return Task.FromResult<ProviderSendResult>(new ProviderSendResult.Accepted("sbx-" + request.MessageId.ToString("N")));
    }

    /// <summary>The outbox row and the <c>sent</c> status are saved together, so the row's presence is the truth.</summary>
    public async Task<ProviderLookupResult> LookupAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct) =>
        await db.SandboxOutbox.IgnoreQueryFilters().AnyAsync(s => s.WorkspaceId == request.WorkspaceId && s.MessageId == request.MessageId, ct)
            ? new ProviderLookupResult.Found("sbx-" + request.MessageId.ToString("N"), MessageStatus.Sent)
            : new ProviderLookupResult.NotFound();
}
