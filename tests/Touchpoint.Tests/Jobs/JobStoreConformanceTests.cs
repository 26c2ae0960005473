using System.Collections.Concurrent;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Jobs;

/// <summary>One suite, both dialects of <see cref="IJobStore"/> (as River's driver tests).</summary>
public sealed class JobStoreConformanceTests(PostgresCluster pg)
{
    static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static NewJob Job(string key, DateTimeOffset runAt, Guid? workspace = null, int priority = 0, int? maxAttempts = null) =>
        new(workspace ?? WorkspaceA, "test.noop", key, runAt, """{"n":1}""", priority, maxAttempts);

    static readonly Guid WorkspaceA = Guid.CreateVersion7();

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Enqueue_is_idempotent_per_workspace_and_key(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        Assert.True(await q.Jobs.EnqueueAsync(Job("k1", T0), T0, Ct));
        Assert.False(await q.Jobs.EnqueueAsync(Job("k1", T0.AddHours(1)), T0, Ct));
        Assert.True(await q.Jobs.EnqueueAsync(Job("k1", T0, workspace: Guid.CreateVersion7()), T0, Ct));
        Assert.Equal(2, await q.Jobs.EnqueueManyAsync([Job("k1", T0), Job("k2", T0), Job("k3", T0), Job("k3", T0)], T0, Ct));
        Assert.Equal(2, await q.CountAsync("k1"));
        Assert.Equal(1, await q.CountAsync("k3"));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Claim_takes_due_jobs_by_priority_up_to_the_batch_and_counts_the_attempt(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueManyAsync([.. Enumerable.Range(1, 5).Select(n => Job($"due{n}", T0.AddSeconds(-n)))], T0, Ct);
        await q.Jobs.EnqueueAsync(Job("urgent", T0, priority: 5), T0, Ct);
        await q.Jobs.EnqueueAsync(Job("later", T0.AddHours(1)), T0, Ct);

        var urgent = Assert.Single(await q.Jobs.ClaimAsync(1, T0, Lease, "w1", Ct));
        Assert.Equal(T0, urgent.RunAt); // priority beats age
        var first = await q.Jobs.ClaimAsync(2, T0, Lease, "w1", Ct);
        Assert.Equal([T0.AddSeconds(-5), T0.AddSeconds(-4)], first.Select(j => j.RunAt).Order());
        Assert.All(first, j => Assert.Equal(1, j.Attempts));
        var row = await q.RowAsync(first[0].Id);
        Assert.Equal((JobStatus.Running, 1), (row.Status, row.Attempts));
        Assert.Equal(T0 + Lease, row.LockedUntil);
        Assert.Equal("w1", row.LockedBy);
        Assert.Equal("""{"n":1}""", first[0].PayloadJson.Replace(" ", "", StringComparison.Ordinal));

        Assert.Equal(3, (await q.Jobs.ClaimAsync(10, T0, Lease, "w1", Ct)).Count);
        Assert.Empty(await q.Jobs.ClaimAsync(10, T0.AddMinutes(59), Lease, "w1", Ct));
        var later = Assert.Single(await q.Jobs.ClaimAsync(10, T0.AddHours(1), Lease, "w1", Ct));
        Assert.Equal(T0.AddHours(1), later.RunAt);
    }

    [Theory, InlineData(Store.Sqlite, 300, 4), InlineData(Store.Postgres, 1000, 8)]
    public async Task Concurrent_claimers_claim_every_job_exactly_once(Store store, int jobs, int claimers)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueManyAsync([.. Enumerable.Range(0, jobs).Select(n => Job($"j{n}", T0))], T0, Ct);
        var claimed = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, claimers).Select(n => Task.Run(async () =>
        {
            var worker = q.NewStore();
            while (await worker.ClaimAsync(7, T0, Lease, $"w{n}", Ct) is { Count: > 0 } batch)
                foreach (var job in batch) claimed.Add(job.Id);
        }, Ct)));
        Assert.Equal(jobs, claimed.Count);
        Assert.Equal(jobs, claimed.Distinct().Count());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Expired_lease_is_reaped_reclaimed_and_the_stale_token_cannot_finish_it(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueAsync(Job("k", T0), T0, Ct);
        var stale = Assert.Single(await q.Jobs.ClaimAsync(1, T0, Lease, "crashed", Ct));

        Assert.Equal(0, await q.Jobs.ReapExpiredLeasesAsync(T0.AddSeconds(30), Ct));
        Assert.Equal(1, await q.Jobs.ReapExpiredLeasesAsync(T0.AddMinutes(2), Ct));
        var fresh = Assert.Single(await q.Jobs.ClaimAsync(1, T0.AddMinutes(2), Lease, "w2", Ct));
        Assert.Equal(2, fresh.Attempts);
        Assert.NotEqual(stale.LockToken, fresh.LockToken);

        Assert.Equal(0, await q.Jobs.CompleteAsync([stale], T0.AddMinutes(3), Ct));
        Assert.False(await q.Jobs.FailAsync(stale, "late", null, T0.AddMinutes(3), Ct));
        Assert.Equal(0, await q.Jobs.ReleaseAsync([stale], T0.AddMinutes(3), Ct));
        var row = await q.RowAsync(fresh.Id);
        Assert.Equal((JobStatus.Running, fresh.LockToken, "w2"), (row.Status, row.LockToken, row.LockedBy));

        Assert.Equal(1, await q.Jobs.CompleteAsync([fresh], T0.AddMinutes(3), Ct));
        row = await q.RowAsync(fresh.Id);
        Assert.Equal((JobStatus.Succeeded, T0.AddMinutes(3), null), (row.Status, row.CompletedAt, row.LockToken));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Complete_then_claim_completes_only_held_jobs_of_every_claim_and_claims_the_next_batch(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueManyAsync([.. Enumerable.Range(1, 6).Select(n => Job($"j{n}", T0.AddSeconds(-10 + n)))], T0, Ct);
        var first = await q.Jobs.ClaimAsync(2, T0, TimeSpan.FromMinutes(10), "w1", Ct);
        var stale = Assert.Single(await q.Jobs.ClaimAsync(1, T0, Lease, "crashed", Ct));
        Assert.Equal(1, await q.Jobs.ReapExpiredLeasesAsync(T0.AddMinutes(2), Ct));
        var retaken = Assert.Single(await q.Jobs.ClaimAsync(1, T0.AddMinutes(2), Lease, "w2", Ct));
        Assert.Equal(stale.Id, retaken.Id);

        // Two claims' jobs plus one whose lease was lost: each is fenced by its own claim's token.
        var (completed, next) = await q.Jobs.CompleteThenClaimAsync([.. first, stale], 2, T0.AddMinutes(2), Lease, "w1", Ct);
        Assert.Equal(2, completed);
        Assert.Equal(2, next.Count);
        Assert.All(next, j => Assert.DoesNotContain(j.Id, first.Select(f => f.Id).Append(stale.Id)));
        foreach (var job in first) Assert.Equal(JobStatus.Succeeded, (await q.RowAsync(job.Id)).Status);
        var stillHeld = await q.RowAsync(stale.Id);
        Assert.Equal((JobStatus.Running, retaken.LockToken, "w2"), (stillHeld.Status, stillHeld.LockToken, stillHeld.LockedBy));
        Assert.All(next, j => Assert.Equal(1, j.Attempts));

        // Nothing finished: a plain claim; nothing left to claim: the completion still happens.
        (completed, var last) = await q.Jobs.CompleteThenClaimAsync([], 10, T0.AddMinutes(2), Lease, "w1", Ct);
        Assert.Equal((0, 1), (completed, last.Count));
        (completed, var none) = await q.Jobs.CompleteThenClaimAsync([.. next, .. last, retaken], 10, T0.AddMinutes(2), Lease, "w1", Ct);
        Assert.Equal(4, completed);
        Assert.Empty(none);
        foreach (var job in next.Concat(last).Append(retaken)) Assert.Equal(JobStatus.Succeeded, (await q.RowAsync(job.Id)).Status);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Lease_expiring_on_the_last_attempt_goes_dead(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueAsync(Job("k", T0, maxAttempts: 1), T0, Ct);
        var job = Assert.Single(await q.Jobs.ClaimAsync(1, T0, Lease, "w", Ct));
        Assert.Equal(1, await q.Jobs.ReapExpiredLeasesAsync(T0.AddMinutes(2), Ct));
        var row = await q.RowAsync(job.Id);
        Assert.Equal(JobStatus.Dead, row.Status);
        Assert.Contains("lease expired", row.LastError, StringComparison.Ordinal);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Failure_reschedules_or_buries_and_release_returns_the_attempt(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        await q.Jobs.EnqueueManyAsync([Job("a", T0), Job("b", T0), Job("c", T0)], T0, Ct);
        var batch = await q.Jobs.ClaimAsync(3, T0, Lease, "w", Ct);

        Assert.True(await q.Jobs.FailAsync(batch[0], "boom", T0.AddSeconds(15), T0, Ct));
        var retried = await q.RowAsync(batch[0].Id);
        Assert.Equal((JobStatus.Pending, T0.AddSeconds(15), "boom", 1), (retried.Status, retried.RunAt, retried.LastError, retried.Attempts));

        Assert.True(await q.Jobs.FailAsync(batch[1], "fatal", null, T0, Ct));
        var dead = await q.RowAsync(batch[1].Id);
        Assert.Equal((JobStatus.Dead, "fatal"), (dead.Status, dead.LastError));

        Assert.Equal(1, await q.Jobs.ReleaseAsync([batch[2]], T0, Ct));
        var released = await q.RowAsync(batch[2].Id);
        Assert.Equal((JobStatus.Pending, 0, null), (released.Status, released.Attempts, released.LockToken));
        Assert.Equal(batch[2].Id, Assert.Single(await q.Jobs.ClaimAsync(10, T0, Lease, "w", Ct)).Id);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Recurring_occurrence_enqueued_by_two_nodes_yields_one_row(Store store)
    {
        await using var q = await QueueDatabase.CreateAsync(store, pg);
        var heartbeat = new RecurringJob("beat", "0 * * * *", "test.noop");
        var nodes = new[] { new RecurringSchedule([heartbeat], q.NewStore()), new RecurringSchedule([heartbeat], q.NewStore()) };
        var now = T0.AddMinutes(10);
        var inserted = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.EnqueueNextAsync(now, Ct), Ct)));
        Assert.Equal(1, inserted.Sum());
        Assert.Equal(0, await nodes[0].EnqueueNextAsync(now.AddMinutes(5), Ct));
        Assert.Equal(1, await q.CountAsync(RecurringSchedule.KeyFor("beat", T0.AddHours(1))));
        Assert.Equal("recurring:beat:2026-03-01T13:00:00.0000000+00:00", RecurringSchedule.KeyFor("beat", T0.AddHours(1)));
        var job = Assert.Single(await q.Jobs.ClaimAsync(10, T0.AddHours(1), Lease, "w", Ct));
        Assert.Equal(Guid.Empty, job.WorkspaceId);
    }

    [Fact]
    public void Backoff_doubles_from_fifteen_seconds_with_jitter_and_caps_at_an_hour()
    {
        var random = new Random(7);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var expected = Math.Min(15 * Math.Pow(2, attempt - 1), 3600);
            var delay = RetryBackoff.Delay(attempt, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), random).TotalSeconds;
            Assert.InRange(delay, expected * 0.8, expected * 1.2);
        }
    }
}
