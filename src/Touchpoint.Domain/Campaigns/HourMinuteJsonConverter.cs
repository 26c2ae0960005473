using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Campaigns;

/// <summary>Local times as <c>"HH:mm"</c> (the public contract's quiet hours); reads <c>H:mm</c> and <c>HH:mm:ss</c> too.</summary>
public sealed class HourMinuteJsonConverter : JsonConverter<TimeOnly>
{
    static readonly string[] Formats = ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"];

    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return TimeOnly.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : throw new JsonException($"'{text}' is not a time of day (expected HH:mm).");
    }

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString(value.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture));
    }
}
