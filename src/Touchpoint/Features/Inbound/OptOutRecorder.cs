using System.Text.Json;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Consent;
using Touchpoint.Features.Suppressions;

namespace Touchpoint.Features.Inbound;

/// <summary>What a binding opt-out (or complaint) is about: who, on which channel and address, and how we know.</summary>
public sealed record OptOutFact(
    Guid WorkspaceId, Guid? ContactId, Channel Channel, string? Address, string Source, object Evidence,
    SuppressionReason Suppression = SuppressionReason.OptedOut, EnrollmentCause Cause = EnrollmentCause.OptOut);

/// <summary>
/// The full effect of a binding opt-out, shared by STOP keywords, review decisions, RFC 8058 one-click
/// unsubscribes, provider opt-out errors (Twilio 21610) and email complaints: consent <c>opt_out</c> for the
/// channel (evidence = what the person did), a suppression on the address, and the contact's enrollments that
/// use the channel STOPPED. Runs inside the caller's unit of work; the services it calls save as they go.
/// </summary>
public sealed class OptOutRecorder(ConsentService consents, SuppressionService suppressions, EnrollmentSignals enrollments)
{
    public async Task RecordAsync(OptOutFact fact, CancellationToken ct)
    {
        var evidence = JsonSerializer.Serialize(fact.Evidence, JsonSerializerOptions.Web);
        if (fact.ContactId is { } contactId)
            await consents.RecordAsync(contactId, fact.Channel, ConsentStatus.OptOut, fact.Source, null, evidence, ct);
        // The address is suppressed even without a contact: an unknown number that texted STOP is never texted.
        if (!string.IsNullOrWhiteSpace(fact.Address))
            await suppressions.AddAsync(fact.WorkspaceId, new SuppressionInput(null, fact.Address, fact.Suppression, fact.Channel,
                null, Truncate(evidence), fact.Source), ct);
        if (fact.ContactId is { } id)
            await enrollments.ContactOptedOutAsync(fact.WorkspaceId, id, fact.Channel, fact.Cause, fact.Source, fact.Evidence, ct);
    }

    /// <summary>Only the address (a hard bounce: the mailbox is dead, nobody said no).</summary>
    public Task SuppressAddressAsync(Guid workspaceId, string? address, Channel channel, SuppressionReason reason, string source,
        object evidence, CancellationToken ct) => string.IsNullOrWhiteSpace(address) ? Task.CompletedTask
        : suppressions.AddAsync(workspaceId, new SuppressionInput(null, address, reason, channel, null,
            Truncate(JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web)), source), ct);

    static string Truncate(string note) => note.Length <= 2000 ? note : note[..2000];
}
