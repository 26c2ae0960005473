using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Conversations;
using Touchpoint.Hosting;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Inbound.InboundTestKit;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Campaigns;

/// <summary>
/// The campaign sweep and the conversation dispatcher read a row, work, and write it back; a reply applied in between
/// must not be written over. Enrollments carry a version and conversations their message count as concurrency tokens:
/// the writer that read before the reply fails (and its caller redoes the work on fresh reads) instead.
/// </summary>
public sealed class StaleWriteTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_writer_that_read_the_enrollment_before_a_STOP_cannot_put_it_back_to_attempting(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);

        // The sweep's read: before the reply.
        await using var sweep = app.Services.CreateAsyncScope();
        var db = sweep.ServiceProvider.GetRequiredService<TouchpointDb>();
        var stale = await db.Enrollments.IgnoreQueryFilters().SingleAsync(e => e.WorkspaceId == ws.Id && e.CampaignId == campaign, Ct);
        var versionBefore = stale.Version;

        await SandboxInboundAsync(ws, "STOP");
        var stopped = await EnrollmentAsync(app, ws.Id, campaign);
        Assert.Equal(EnrollmentState.Stopped, stopped.State);
        Assert.True(stopped.Version > versionBefore, "the reply's save raises the version");

        stale.State = EnrollmentState.Attempting;
        stale.NextActionAt = stale.NextActionAt?.AddMinutes(5);
        Assert.True(WriteConflict.Is(await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync(Ct))));
        Assert.Equal((EnrollmentState.Stopped, stopped.Version), ((await EnrollmentAsync(app, ws.Id, campaign)).State, (await EnrollmentAsync(app, ws.Id, campaign)).Version));

        // Read again, the same change goes through and raises the version once more.
        db.ChangeTracker.Clear();
        var fresh = await db.Enrollments.IgnoreQueryFilters().SingleAsync(e => e.WorkspaceId == ws.Id && e.CampaignId == campaign, Ct);
        fresh.StoppedReason = "checked";
        await db.SaveChangesAsync(Ct);
        Assert.Equal(stopped.Version + 1, (await EnrollmentAsync(app, ws.Id, campaign)).Version);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_append_from_a_read_older_than_a_reply_fails_instead_of_reusing_its_sequence_number(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        await SandboxInboundAsync(ws, "first");

        // The dispatcher's read: before the second reply.
        await using var dispatcher = app.Services.CreateAsyncScope();
        var db = dispatcher.ServiceProvider.GetRequiredService<TouchpointDb>();
        var stale = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.WorkspaceId == ws.Id && c.ContactId == contact, Ct);

        await SandboxInboundAsync(ws, "second");
        ConversationLog.Append(db, stale, Direction.Outbound, ConversationLog.Assistant, "an answer to the first only", DateTimeOffset.UtcNow);
        // Whichever check fires first (the conversation's count or the sequence's unique index), it is a write conflict.
        Assert.True(WriteConflict.Is(await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct))));

        db.ChangeTracker.Clear();
        var fresh = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == stale.Id, Ct);
        ConversationLog.Append(db, fresh, Direction.Outbound, ConversationLog.Assistant, "an answer to both", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(Ct);

        var log = await app.DbAsync(d => d.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id && m.ConversationId == stale.Id).OrderBy(m => m.Sequence)
            .Select(m => new { m.Sequence, m.Content }).ToListAsync(Ct));
        Assert.Equal([(0, "first"), (1, "second"), (2, "an answer to both")], log.Select(m => (m.Sequence, m.Content)).ToList());
        Assert.Equal(3, await app.DbAsync(d => d.Conversations.IgnoreQueryFilters().Where(c => c.Id == stale.Id).Select(c => c.MessageCount).SingleAsync(Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_store_refuses_two_messages_with_one_sequence_number_in_a_conversation(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        await SandboxInboundAsync(ws, "first");
        var conversation = await app.DbAsync(d => d.Conversations.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(c => c.WorkspaceId == ws.Id && c.ContactId == contact, Ct));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        db.ConversationMessages.Add(new ConversationMessage
        {
            WorkspaceId = ws.Id, ConversationId = conversation.Id, Sequence = 0, Direction = Direction.Outbound,
            Role = ConversationLog.Assistant, MessageType = "text", Content = "written past the log", RawPayloadJson = "{}",
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.True(WriteConflict.Is(await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct))));
    }

    /// <summary>
    /// A card move reads the conversation and saves within one request; a reply filed in between takes the sequence number
    /// its move note wanted. The operator's choice does not depend on that reply, so the move is redone on a fresh read
    /// instead of answering 409 (the dashboard showed that as a raw problem document).
    /// </summary>
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_card_move_overtaken_by_a_reply_between_its_read_and_its_save_is_redone_on_a_fresh_read(Store store)
    {
        var overtake = new ReplyBeforeAMoveIsSaved();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" },
            configure: b => b.Services.ConfigureDbContext<TouchpointDb>(o => o.AddInterceptors(overtake)));
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        await SandboxInboundAsync(ws, "first");
        var conversation = await app.DbAsync(d => d.Conversations.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(c => c.WorkspaceId == ws.Id && c.ContactId == contact, Ct));
        var target = await app.DbAsync(d => d.BoardColumns.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.BoardId == conversation.BoardId && c.Id != conversation.ColumnId).OrderBy(c => c.Position).FirstAsync(Ct));
        overtake.Reply = () => SandboxInboundAsync(ws, "second");

        await using var request = app.Services.CreateAsyncScope();
        request.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(ws.Id);
        var outcome = await request.ServiceProvider.GetRequiredService<ConversationService>().MoveAsync(conversation.Id, target.Id, "operator", Ct);

        Assert.Equal(CardOutcome.Done, outcome);
        Assert.Equal(2, overtake.Saves); // the first save lost to the reply, the second went through
        var stored = await app.DbAsync(d => d.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == conversation.Id, Ct));
        Assert.Equal((target.Id, 3), (stored.ColumnId, stored.MessageCount));
        var log = await app.DbAsync(d => d.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id && m.ConversationId == conversation.Id).OrderBy(m => m.Sequence)
            .Select(m => new { m.Sequence, m.Content }).ToListAsync(Ct));
        Assert.Equal([0, 1, 2], log.Select(m => m.Sequence));
        Assert.Equal(["first", "second"], log.Take(2).Select(m => m.Content));
        Assert.StartsWith($"moved to '{target.Name}' by operator", log[2].Content);
    }

    /// <summary>Files a reply through the webhook pipeline the first time a card move is about to be saved.</summary>
    sealed class ReplyBeforeAMoveIsSaved : SaveChangesInterceptor
    {
        public Func<Task>? Reply { get; set; }
        public int Saves;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            var moving = eventData.Context!.ChangeTracker.Entries<Conversation>()
                .Any(e => e.State == EntityState.Modified && e.Property(c => c.ColumnId).IsModified);
            if (moving && Interlocked.Increment(ref Saves) == 1 && Reply is { } reply) await reply();
            return result;
        }
    }

    /// <summary>An API write that loses such a race is a 409 problem, not a 500 (whichever check caught it).</summary>
    [Fact]
    public async Task A_write_that_lost_the_race_is_answered_409_as_problem_json()
    {
        var http = await LostRaceAnsweredAsync(_ => { });

        Assert.Equal(StatusCodes.Status409Conflict, http.Response.StatusCode);
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body, cancellationToken: Ct);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("changed by someone else", problem.GetProperty("detail").GetString());
    }

    /// <summary>
    /// A dashboard form that loses such a race gets a page saying nothing was saved, with a way back to the page it posted
    /// to (only ever a page of this site), not the API's problem document.
    /// </summary>
    [Theory]
    [InlineData("/contacts/42", "?notice=contact-created", "/contacts/42?notice=contact-created")]
    [InlineData("//elsewhere.example/phish", "", "/")]
    public async Task A_dashboard_form_that_lost_the_race_gets_a_page_with_the_way_back(string path, string query, string back)
    {
        var http = await LostRaceAnsweredAsync(request =>
        {
            request.Path = path;
            request.QueryString = new QueryString(query);
            request.Headers.Accept = "text/html,application/xhtml+xml";
        });

        Assert.Equal(StatusCodes.Status409Conflict, http.Response.StatusCode);
        Assert.StartsWith("text/html", http.Response.ContentType);
        http.Response.Body.Position = 0;
        var page = await new StreamReader(http.Response.Body).ReadToEndAsync(Ct);
        Assert.Contains("nothing of your change was saved", page);
        Assert.Contains($"<a href=\"{System.Net.WebUtility.HtmlEncode(back)}\">Back</a>", page);
    }

    /// <summary>The app's exception handler given a lost write race on a request shaped by <paramref name="shape"/>.</summary>
    async Task<HttpContext> LostRaceAnsweredAsync(Action<HttpRequest> shape)
    {
        await using var app = await StartWithoutWorkersAsync(Store.Sqlite, pg);
        var http = new DefaultHttpContext { RequestServices = app.Services };
        shape(http.Request);
        http.Response.Body = new MemoryStream();
        var handler = ActivatorUtilities.CreateInstance<ProblemResponses>(app.Services);
        Assert.True(await handler.TryHandleAsync(http, new DbUpdateConcurrencyException("lost"), Ct));
        return http;
    }

    static Task<Enrollment> EnrollmentAsync(TouchpointApp app, Guid workspaceId, Guid campaignId) =>
        app.DbAsync(db => db.Enrollments.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.WorkspaceId == workspaceId && e.CampaignId == campaignId, Ct));

    // No background workers: the sweep and the dispatcher are played by hand, so the interleaving is the test's.
    static Task<TouchpointApp> StartWithoutWorkersAsync(Store store, PostgresCluster pg) =>
        TouchpointApp.StartAsync(store, pg, clockAt: Midday, settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
}
