using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>
/// The one spelling of an enum value on the wire and in the database (e.g. <c>opt_in</c>, <c>AI_MODE</c>),
/// taken from its <see cref="JsonStringEnumMemberNameAttribute"/> so JSON and storage can never disagree.
/// </summary>
public static class WireName
{
    static readonly ConcurrentDictionary<Type, (Dictionary<Enum, string> ToWire, Dictionary<string, Enum> FromWire)> Maps = new();

    public static string Of<T>(T value) where T : struct, Enum => Map(typeof(T)).ToWire[value];

    public static T Parse<T>(string wire) where T : struct, Enum =>
        TryParse<T>(wire, out var value) ? value : throw new FormatException($"'{wire}' is not a valid {typeof(T).Name}.");

    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum
    {
        if (wire is not null && Map(typeof(T)).FromWire.TryGetValue(wire, out var found))
        {
            value = (T)found;
            return true;
        }
        value = default;
        return false;
    }

    public static IReadOnlyCollection<string> All<T>() where T : struct, Enum => Map(typeof(T)).FromWire.Keys;

    static (Dictionary<Enum, string> ToWire, Dictionary<string, Enum> FromWire) Map(Type type) => Maps.GetOrAdd(type, static t =>
    {
        var to = new Dictionary<Enum, string>();
        var from = new Dictionary<string, Enum>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (Enum)field.GetValue(null)!;
            var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
            to[value] = name;
            from[name] = value;
        }
        return (to, from);
    });
}
