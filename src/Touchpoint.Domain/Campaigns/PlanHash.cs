using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Campaigns;

/// <summary>
/// Identity of a plan version: lowercase hex SHA-256 of its canonical JSON (camelCase names, keys sorted
/// ordinally, nulls omitted, no whitespace, numbers without exponent or trailing zeros). Set-like lists
/// (allowedChannels, stopOnEvents) are de-duplicated and sorted by wire name first; ordered lists (steps,
/// fallback.order) keep their order. Identical plans hash identically however their JSON was written, and
/// any change changes the hash.
/// </summary>
public static class PlanHash
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Compute(CampaignPlan plan) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(plan))));

    public static string CanonicalJson(CampaignPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var normalized = plan with
        {
            Policy = plan.Policy with { AllowedChannels = [.. plan.Policy.AllowedChannels.Distinct().OrderBy(c => WireName.Of(c), StringComparer.Ordinal)] },
            Steps = [.. plan.Steps.Select(s => s with
            {
                StopOnEvents = s.StopOnEvents is null ? null : [.. s.StopOnEvents.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            })],
        };
        return Canonicalize(JsonSerializer.SerializeToNode(normalized, JsonOptions));
    }

    /// <summary>Canonical text of any JSON tree under the rules above (minus the set sorting, which needs the model).</summary>
    public static string Canonicalize(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        // Non-ASCII is escaped (\uXXXX) by one fixed encoder so the bytes never depend on settings.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            Write(writer, node);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void Write(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null: w.WriteNullValue(); break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var (key, value) in o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(key);
                    Write(w, value);
                }
                w.WriteEndObject();
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var item in a) Write(w, item);
                w.WriteEndArray();
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                w.WriteRawValue(CanonicalNumber(v.ToJsonString()), skipInputValidation: true);
                break;
            default:
                node.WriteTo(w);
                break;
        }
    }

    // 1, 1.0 and 1e0 are one number; write it one way.
    static string CanonicalNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
            : double.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
