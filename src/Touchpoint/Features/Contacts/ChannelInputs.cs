using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Contacts;

/// <summary>One valid, normalized channel of a request, with its position for error messages.</summary>
public sealed record ParsedChannel(int Index, Channel Kind, string Value, bool IsPrimary, string? Timezone);

/// <summary>
/// Parses the <c>channels</c>-style arrays of contact requests: kind, value normalized for the kind (phones with
/// <paramref name="region"/>), time zone. Invalid entries are reported as <c>{field}[i].kind|value|timezone</c>.
/// </summary>
public static class ChannelInputs
{
    public static List<ParsedChannel> Parse(string field, IReadOnlyList<ChannelInput>? inputs, string region, FieldErrors errors)
    {
        var result = new List<ParsedChannel>();
        for (var i = 0; i < (inputs?.Count ?? 0); i++)
        {
            var input = inputs![i];
            if (!WireName.TryParse<Channel>(input.Kind, out var kind))
            {
                errors.Add($"{field}[{i}].kind", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
                continue;
            }
            var (value, error) = ChannelAddress.Normalize(kind, input.Value, region);
            if (error is not null) { errors.Add($"{field}[{i}].value", error); continue; }
            errors.TimeZone($"{field}[{i}].timezone", input.Timezone);
            result.Add(new ParsedChannel(i, kind, value!, input.IsPrimary ?? false, input.Timezone));
        }
        return result;
    }
}
