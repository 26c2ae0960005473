using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Touchpoint.Data;

public static class AddedRowsInsert
{
    /// <summary>
    /// Writes the tracked rows added of the <paramref name="allowed"/> types with one multi-row INSERT per type
    /// (<see cref="MultiRowInsert"/>) instead of one statement per row, principals before their dependents, and marks
    /// them unchanged so the save that follows writes only the rest. A type stays with that save when a row it refers
    /// to is added there (a new board, say): its INSERT must not come first. Call it inside the transaction of that save.
    /// </summary>
    public static async Task InsertAddedAsync(this DbContext db, IReadOnlySet<Type> allowed, CancellationToken ct)
    {
        var added = db.ChangeTracker.WithoutDetectingChanges<object>()
            .Where(e => e.State == EntityState.Added)
            .GroupBy(e => e.Metadata)
            .ToDictionary(g => g.Key, g => g.ToList());
        var included = added.Keys.Where(t => allowed.Contains(t.ClrType)).ToHashSet();
        while (included.RemoveWhere(t => Principals(t).Any(p => added.ContainsKey(p) && !included.Contains(p))) > 0) { }

        foreach (var type in PrincipalsFirst(included))
        {
            var entries = added[type];
            await db.InsertRowsAsync(type, [.. entries.Select(e => e.Entity)], ct);
            // Stored as they are now: unchanged, with the values the save compares against taken now, not when they were
            // added (a conversation's count moved since). Not detached: EF would detach their added dependents with them.
            foreach (var entry in entries)
            {
                entry.State = EntityState.Unchanged;
                entry.OriginalValues.SetValues(entry.CurrentValues);
            }
        }
    }

    static IEnumerable<IEntityType> Principals(IEntityType type) =>
        type.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != type);

    static List<IEntityType> PrincipalsFirst(HashSet<IEntityType> types)
    {
        var ordered = new List<IEntityType>();
        var seen = new HashSet<IEntityType>();
        void Visit(IEntityType t)
        {
            if (!seen.Add(t)) return; // a cycle of foreign keys would leave the order to the rows themselves: not in this model
            foreach (var p in Principals(t).Where(types.Contains)) Visit(p);
            ordered.Add(t);
        }
        foreach (var t in types) Visit(t);
        return ordered;
    }
}
