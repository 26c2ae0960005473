using System.Collections.Concurrent;
using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// IANA zone lookup with a lock-free cache: every decision resolves a zone, and Tzdb's own cache takes a lock.
/// Only valid ids are cached, so arbitrary input cannot grow the cache without bound.
/// </summary>
static class TimeZoneCatalog
{
    static readonly ConcurrentDictionary<string, DateTimeZone> Zones = new(StringComparer.Ordinal);

    public static DateTimeZone? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        if (Zones.TryGetValue(id, out var cached)) return cached;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is not null) Zones.TryAdd(id, zone);
        return zone;
    }
}
