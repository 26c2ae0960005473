using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Conversations;
using Touchpoint.Features.Demo;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Demo;

/// <summary>
/// The demo data (touchpoint seed-demo / --demo): realistic, through the real services, and idempotent. The clock is
/// 17:00Z on a Tuesday, so the American and European contacts are in their sending window while Tokyo and Sydney
/// are asleep: some first touches are sent to the sandbox, the rest are deferred by quiet hours.
/// </summary>
public sealed class DemoSeedTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Counts(int Contacts, int Channels, int ConsentRecords, int Campaigns, int ActiveCampaigns, int Enrollments, int Boards,
        int Columns, int Conversations, int Messages, int PendingDrafts, int Reviews, int Zones);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Seeding_twice_fills_the_workspace_once(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T17:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();

        var first = await SeedAsync(app, ws.Id);
        Assert.Equal(DemoSeeder.ContactCount, first.ContactsAdded);
        var once = await CountAsync(app, ws.Id);
        var second = await SeedAsync(app, ws.Id);
        var twice = await CountAsync(app, ws.Id);

        Assert.Equal(0, second.ContactsAdded);
        Assert.Equal(0, second.ConversationsAdded);
        Assert.False(second.ReviewAdded);
        Assert.Equal(0, second.EnrolledNow);
        Assert.Equal(once, twice);

        Assert.Equal(DemoSeeder.ContactCount, once.Contacts);
        Assert.True(once.Zones >= 4, $"{once.Zones} time zones");
        Assert.True(once.Channels > once.Contacts, "contacts have phone and email");
        Assert.True(once.ConsentRecords >= once.Contacts, "consent recorded");
        Assert.Equal(2, once.Campaigns);
        Assert.Equal(1, once.ActiveCampaigns);
        Assert.True(once.Enrollments > 10, $"{once.Enrollments} enrollments");
        Assert.Equal(1, once.Boards);
        Assert.Equal(3, once.Columns);
        Assert.Equal(12, once.Conversations);
        Assert.True(once.Messages > once.Conversations);
        Assert.True(once.PendingDrafts > 0, "an AI draft waits for approval");
        Assert.Equal(1, once.Reviews);
        // Sends and decisions come from the workers' engine (which may still be finishing a job), so only their presence is asserted.
        var (decisions, outbox) = await SendsAsync(app, ws.Id);
        Assert.True(outbox > 0, "some first touches were sent to the sandbox");
        Assert.True(decisions > outbox, "quiet hours deferred the contacts whose night it is");

        // The other workspace saw none of it.
        Assert.Equal(0, (await CountAsync(app, other.Id)).Contacts);
    }

    static async Task<DemoResult> SeedAsync(TouchpointApp app, Guid workspaceId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(workspaceId, Ct);
    }

    static async Task<(int Decisions, int Outbox)> SendsAsync(TouchpointApp app, Guid ws)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        db.Scope.Enter(ws);
        return (await db.PolicyDecisions.CountAsync(Ct), await db.SandboxOutbox.CountAsync(Ct));
    }

    static async Task<Counts> CountAsync(TouchpointApp app, Guid ws)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        db.Scope.Enter(ws);
        return new Counts(
            await db.Contacts.CountAsync(Ct), await db.ContactChannels.CountAsync(Ct), await db.ConsentRecords.CountAsync(Ct),
            await db.Campaigns.CountAsync(Ct), await db.Campaigns.CountAsync(c => c.Status == CampaignStatus.Active, Ct),
            await db.Enrollments.CountAsync(Ct), await db.Boards.CountAsync(Ct), await db.BoardColumns.CountAsync(Ct),
            await db.Conversations.CountAsync(Ct), await db.ConversationMessages.CountAsync(Ct),
            await db.ConversationMessages.CountAsync(m => m.ApprovalState == ConversationLog.DraftPending, Ct),
            await db.ReviewItems.CountAsync(Ct),
            (await db.Contacts.Select(c => c.Timezone).Distinct().ToListAsync(Ct)).Count);
    }
}
