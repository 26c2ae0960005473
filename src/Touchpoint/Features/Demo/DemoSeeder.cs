using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using CampaignStep = Touchpoint.Domain.Campaigns.CampaignStep;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Admin;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Consent;
using Touchpoint.Features.Crm.Boards;
using Touchpoint.Features.Inbound;

namespace Touchpoint.Features.Demo;

public sealed record DemoResult(Guid WorkspaceId, int ContactsAdded, int ConversationsAdded, bool ReviewAdded, int EnrolledNow);

/// <summary>
/// Fills a workspace with a living demo: 200 contacts across eight time zones with channels, consent and tags,
/// an active campaign (enrolled, first touches run through the real engine and policy, so sandbox sends and
/// decisions exist — quiet hours defer the contacts whose night it is) and a draft one, a kanban board with
/// AI/HYBRID/HUMAN columns and conversations, and an opt-out-like reply waiting for review. Idempotent: every
/// row is found by a stable key (external id, name, contact+channel) before it is added.
/// </summary>
public sealed class DemoSeeder(TouchpointDb db, ConsentService consents, CampaignService campaigns, EnrollmentService enrollments,
    BoardService boards, ReviewQueue reviews, IEnumerable<IDueWorkRunner> dueWork, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int ContactCount = 200;
    public const string ActiveCampaign = "Spring reactivation (demo)";
    public const string DraftCampaign = "Webinar invite (demo)";
    public const string BoardName = "Demo pipeline";

    static readonly string[] Zones =
        ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"];
    static readonly string[] FirstNames =
        ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara"];
    static readonly string[] LastNames = ["Lopez", "Okafor", "Schmidt", "Tanaka", "Nguyen", "Murphy", "Rossi", "Kowalski", "Haddad", "Silva"];
    static readonly string[][] TagSets = [["spring"], ["spring", "vip"], ["webinar"], ["spring", "hot-lead"], [], ["webinar", "vip"]];

    public async Task<DemoResult> SeedAsync(Guid workspaceId, CancellationToken ct)
    {
        db.Scope.Enter(workspaceId);
        var contactsAdded = await ContactsAsync(workspaceId, ct);
        var demo = await db.Contacts.AsNoTracking().Where(c => c.ExternalId != null && c.ExternalId.StartsWith("demo-"))
            .OrderBy(c => c.ExternalId).Select(c => new { c.Id, c.FirstName, c.Timezone, c.Tags }).ToListAsync(ct);

        var active = await CampaignAsync(workspaceId, ActiveCampaign, "Hi {{ contact.firstName }}, our spring offers are live. Reply YES for details.",
            "{{ contact.firstName }}, last call for spring offers: ends Friday.", ct);
        if (active.Status == CampaignStatus.Draft) await campaigns.ChangeStatusAsync(active.Id, CampaignCommand.Activate, ct);
        await CampaignAsync(workspaceId, DraftCampaign, "Hi {{ contact.firstName }}, join our product webinar next Tuesday?", null, ct);

        // Every third contact tagged spring; enrolling is idempotent (already enrolled ones are counted, not duplicated).
        var spring = demo.Where((c, i) => c.Tags.Contains("spring") && i % 3 == 0).Select(c => c.Id).ToList();
        var enrolled = await enrollments.EnrollAsync(active.Id, spring, ct);
        db.ChangeTracker.Clear();
        // Run what is due now, as the workers would: the touch sweep (normally a cron tick) evaluates the first
        // touches through the policy engine, then the due dispatch jobs send the allowed ones to the sandbox.
        await using (var scope = scopes.CreateAsyncScope())
            await ((TouchTick)scope.ServiceProvider.GetRequiredKeyedService<Touchpoint.Jobs.IJobHandler>(TouchTick.Kind)).SweepAsync(ct);
        foreach (var runner in dueWork) await runner.RunDueWorkAsync(ct);
        db.ChangeTracker.Clear();
        db.Scope.Enter(workspaceId);

        var conversationsAdded = await BoardAsync(workspaceId, [.. demo.Take(12).Select(c => (c.Id, c.FirstName ?? ""))], ct);
        var reviewAdded = await ReviewAsync(workspaceId, demo[13].Id, ct);
        return new DemoResult(workspaceId, contactsAdded, conversationsAdded, reviewAdded, enrolled?.Enrolled ?? 0);
    }

    async Task<int> ContactsAsync(Guid workspaceId, CancellationToken ct)
    {
        var existing = (await db.Contacts.AsNoTracking().Where(c => c.ExternalId != null && c.ExternalId.StartsWith("demo-"))
            .Select(c => c.ExternalId!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var added = new List<(Contact Contact, int Index)>();
        for (var i = 0; i < ContactCount; i++)
        {
            var externalId = $"demo-{i + 1:D4}";
            if (existing.Contains(externalId)) continue;
            var zone = Zones[i % Zones.Length];
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[i / FirstNames.Length % LastNames.Length];
            var contact = new Contact
            {
                WorkspaceId = workspaceId, ExternalId = externalId, FirstName = first, LastName = last, Timezone = zone,
                Region = zone.StartsWith("America/", StringComparison.Ordinal) ? "US" : null, Tags = [.. TagSets[i % TagSets.Length]],
                Stage = i % 17 == 0 ? LeadStage.Engaged : LeadStage.New, CreatedAt = now, UpdatedAt = now,
            };
            // Fictional ranges only: 555-01xx in North America, Ofcom's 07700 900xxx drama numbers, example.com mail.
            var phone = zone.StartsWith("America/", StringComparison.Ordinal)
                ? $"+1415555{(100 + i) % 10000:D4}"
                : zone.StartsWith("Europe/", StringComparison.Ordinal) ? $"+447700900{i % 1000:D3}" : null;
            if (phone is not null) contact.Channels.Add(Channel(contact, Domain.Vocabulary.Channel.Sms, phone, primary: true, now));
            contact.Channels.Add(Channel(contact, Domain.Vocabulary.Channel.Email,
                $"{first}.{last}.{i + 1}@example.com".ToLowerInvariant(), primary: phone is null, now));
            db.Contacts.Add(contact);
            added.Add((contact, i));
        }
        await db.SaveChangesAsync(ct);

        // Consent through the real service: history, current state and timeline together. Most opted in by web form,
        // some only by email, a few opted out (so the policy has something to deny).
        foreach (var (contact, i) in added)
        {
            var evidence = $$"""{"how":"demo seed","form":"spring-landing","ip":"203.0.113.{{i % 250}}"}""";
            if (contact.Channels.Any(c => c.Kind == Domain.Vocabulary.Channel.Sms))
                await consents.RecordAsync(contact.Id, Domain.Vocabulary.Channel.Sms, i % 11 == 5 ? ConsentStatus.OptOut : ConsentStatus.OptIn,
                    i % 11 == 5 ? "keyword" : "web_form", "2025-01", evidence, ct);
            if (i % 4 != 3)
                await consents.RecordAsync(contact.Id, Domain.Vocabulary.Channel.Email, ConsentStatus.OptIn, "web_form", "2025-01", evidence, ct);
        }
        return added.Count;
    }

    static ContactChannel Channel(Contact contact, Channel kind, string value, bool primary, DateTimeOffset now) => new()
    {
        WorkspaceId = contact.WorkspaceId, ContactId = contact.Id, Kind = kind, Value = value, IsPrimary = primary, CreatedAt = now, UpdatedAt = now,
    };

    async Task<CampaignView> CampaignAsync(Guid workspaceId, string name, string first, string? second, CancellationToken ct)
    {
        var existing = (await campaigns.ListAsync(ct)).FirstOrDefault(c => c.Name == name);
        if (existing is not null) return existing;
        List<CampaignStep> steps = [new(Domain.Vocabulary.Channel.Sms, first, DelayMinutes: 0,
            Fallback: new Domain.Fallback.FallbackRouting([Domain.Vocabulary.Channel.Sms, Domain.Vocabulary.Channel.Email], 2, 60))];
        if (second is not null) steps.Add(new CampaignStep(Domain.Vocabulary.Channel.Email, second, DelayMinutes: 2 * 24 * 60));
        var policy = new CampaignPolicy(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), 1, 3,
            [Domain.Vocabulary.Channel.Sms, Domain.Vocabulary.Channel.Email], FollowUpPreset.Balanced);
        return await campaigns.CreateAsync(workspaceId, new CampaignRequest(name, null, policy, steps), ct);
    }

    /// <summary>The board with one column per mode, and a conversation per contact with a short, plausible history.</summary>
    async Task<int> BoardAsync(Guid workspaceId, IReadOnlyList<(Guid Id, string FirstName)> contacts, CancellationToken ct)
    {
        var board = await db.Boards.FirstOrDefaultAsync(b => b.Name == BoardName, ct)
            ?? await boards.CreateAsync(workspaceId, BoardName,
            [
                new ColumnRequest("New replies", WireName.Of(ColumnMode.AiMode), null, 0),
                new ColumnRequest("Qualifying", WireName.Of(ColumnMode.Hybrid), null, 1),
                new ColumnRequest("Human follow-up", WireName.Of(ColumnMode.HumanMode), null, 2),
            ], ct);
        var columns = await db.BoardColumns.Where(c => c.BoardId == board.Id).OrderBy(c => c.Position).ToListAsync(ct);
        var ids = contacts.Select(c => c.Id).ToList();
        var have = (await db.Conversations.Where(c => ids.Contains(c.ContactId)).Select(c => c.ContactId).ToListAsync(ct)).ToHashSet();
        var handles = await db.ContactChannels.AsNoTracking().Where(c => ids.Contains(c.ContactId))
            .ToDictionaryAsync(c => (c.ContactId, c.Kind), c => c.Value, ct);
        var now = clock.GetUtcNow();
        var added = 0;
        for (var i = 0; i < contacts.Count; i++)
        {
            var (contactId, name) = contacts[i];
            if (have.Contains(contactId)) continue;
            var channel = handles.ContainsKey((contactId, Domain.Vocabulary.Channel.Sms)) ? Domain.Vocabulary.Channel.Sms : Domain.Vocabulary.Channel.Email;
            var column = columns[i % columns.Count];
            var started = now.AddHours(-(i + 1) * 3);
            var c = new Conversation
            {
                WorkspaceId = workspaceId, BoardId = board.Id, ColumnId = column.Id, ContactId = contactId, Channel = channel,
                ContactHandle = handles[(contactId, channel)], CreatedAt = started, UpdatedAt = started,
                ClaimedBy = column.Mode == ColumnMode.HumanMode && i % 2 == 0 ? "demo… (Dana from sales)" : null,
            };
            db.Conversations.Add(c);
            var script = Scripts[i % Scripts.Length];
            for (var m = 0; m < script.Length; m++)
            {
                var (inbound, text) = script[m];
                Crm.Conversations.ConversationLog.Append(db, c, inbound ? Direction.Inbound : Direction.Outbound,
                    inbound ? Crm.Conversations.ConversationLog.User : Crm.Conversations.ConversationLog.Assistant,
                    text.Replace("{name}", name, StringComparison.Ordinal), started.AddMinutes(m * 7), status: inbound ? "received" : "delivered");
            }
            if (column.Mode == ColumnMode.Hybrid)
            {
                var draft = Crm.Conversations.ConversationLog.Append(db, c, Direction.Outbound, Crm.Conversations.ConversationLog.Assistant,
                    $"Thanks {name}! Would Thursday at 10:00 or 15:00 suit you for a 20-minute call?", started.AddMinutes(30), status: "draft");
                draft.ApprovalState = Crm.Conversations.ConversationLog.DraftPending;
            }
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    static readonly (bool Inbound, string Text)[][] Scripts =
    [
        [(true, "YES, tell me more about the spring offer"), (false, "Great, {name}! The spring bundle is 20% off until Friday. Want a quick call?"), (true, "Sure, what times do you have?")],
        [(true, "Is this still available?"), (false, "It is, {name}. Shall I send the details by email?")],
        [(true, "Can I talk to a real person? The last order arrived broken.")],
        [(true, "How much is the premium plan?"), (false, "Premium is $49/month, {name}, billed yearly. Any questions?"), (true, "Do you have a discount for teams?")],
    ];

    /// <summary>An opt-out-like reply ("please stop texting me" is not the STOP keyword) waiting for a human.</summary>
    async Task<bool> ReviewAsync(Guid workspaceId, Guid contactId, CancellationToken ct)
    {
        if (await db.ReviewItems.AnyAsync(r => r.ContactId == contactId && r.Kind == ReviewQueue.OptOutLikeKind, ct)) return false;
        var phone = await db.ContactChannels.Where(c => c.ContactId == contactId).OrderByDescending(c => c.Kind == Domain.Vocabulary.Channel.Sms).Select(c => new { c.Kind, c.Value }).FirstAsync(ct);
        var now = clock.GetUtcNow();
        var message = new InboundMessage
        {
            WorkspaceId = workspaceId, ContactId = contactId, Channel = phone.Kind, FromAddress = phone.Value,
            Body = "please stop texting me so much", KeywordClass = WireName.Of(KeywordClass.OptOutLike), Keyword = "stop texting",
            ReceivedAt = now.AddMinutes(-20), CreatedAt = now, UpdatedAt = now,
        };
        db.InboundMessages.Add(message);
        await reviews.OpenAsync(message, contactId, new KeywordMatch(KeywordClass.OptOutLike, "stop texting"), ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static string Describe(DemoResult r) => string.Create(CultureInfo.InvariantCulture,
        $"Demo data in workspace {r.WorkspaceId}: {r.ContactsAdded} contacts added, {r.ConversationsAdded} conversations added, " +
        $"{(r.ReviewAdded ? "a review item added" : "review item already there")}, {r.EnrolledNow} newly enrolled.");
}
