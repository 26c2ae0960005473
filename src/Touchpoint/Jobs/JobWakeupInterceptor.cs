using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Touchpoint.Data;
using Touchpoint.Data.Entities;

namespace Touchpoint.Jobs;

/// <summary>
/// Wakes this process's claim loops after a SaveChanges that inserted due <see cref="ScheduledAction"/> rows (the
/// outbox enqueues that way). On SQLite this is the only prompt path; on PostgreSQL the NOTIFY trigger also
/// reaches other processes. Inside an explicit transaction the wake may come before the commit; the loop then
/// finds nothing and the next poll picks the job up.
/// </summary>
public sealed class JobWakeupInterceptor(JobWakeup wakeup, TimeProvider clock) : SaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbContext, object> pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Fire(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Fire(eventData.Context);
        return result;
    }

    void Note(DbContext? context)
    {
        if (context is null) return;
        var horizon = clock.GetUtcNow() + JobWakeup.Horizon;
        // Added entries are known without DetectChanges; SaveChanges runs its own right after this.
        if (context.ChangeTracker.WithoutDetectingChanges<ScheduledAction>().Any(e => e.State == EntityState.Added && e.Entity.RunAt <= horizon))
            pending.AddOrUpdate(context, this);
    }

    void Fire(DbContext? context)
    {
        if (context is not null && pending.Remove(context)) wakeup.Wake();
    }
}
