using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Contacts.Import;

public enum ImportField { ExternalId, FirstName, LastName, Phone, Whatsapp, Email, Timezone, Region, Tags }

/// <summary>One valid CSV row, normalized and ready to upsert.</summary>
public sealed record ImportRow(
    int Line, string? ExternalId, string? FirstName, string? LastName, string? Timezone, string? Region,
    List<string> Tags, List<(Channel Kind, string Value)> Channels);

/// <summary>
/// Which CSV column feeds which contact field: common header spellings are recognised case-insensitively
/// (ignoring '_', '-' and spaces), and <c>map=col:field,...</c> overrides them.
/// </summary>
public sealed class ImportColumns
{
    static readonly Dictionary<string, ImportField> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["externalid"] = ImportField.ExternalId, ["id"] = ImportField.ExternalId,
        ["firstname"] = ImportField.FirstName, ["lastname"] = ImportField.LastName,
        ["phone"] = ImportField.Phone, ["mobile"] = ImportField.Phone, ["sms"] = ImportField.Phone,
        ["phonenumber"] = ImportField.Phone, ["whatsapp"] = ImportField.Whatsapp,
        ["email"] = ImportField.Email, ["emailaddress"] = ImportField.Email,
        ["timezone"] = ImportField.Timezone, ["region"] = ImportField.Region, ["country"] = ImportField.Region,
        ["tags"] = ImportField.Tags,
    };

    readonly Dictionary<ImportField, int> columns;

    ImportColumns(Dictionary<ImportField, int> columns) => this.columns = columns;

    public static (ImportColumns? Columns, FieldErrors Errors) From(List<string> header, string? map)
    {
        var errors = new FieldErrors();
        var columns = new Dictionary<ImportField, int>();
        for (var i = 0; i < header.Count; i++)
            if (Aliases.TryGetValue(Key(header[i]), out var f)) columns.TryAdd(f, i);
        foreach (var pair in (map ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':', 2, StringSplitOptions.TrimEntries);
            var index = header.FindIndex(h => string.Equals(h.Trim(), parts[0], StringComparison.OrdinalIgnoreCase));
            if (parts.Length != 2 || !Aliases.TryGetValue(Key(parts[1]), out var field))
                errors.Add("map", $"'{pair}' is not column:field with field one of {string.Join(", ", Enum.GetNames<ImportField>().Select(Camel))}.");
            else if (index < 0) errors.Add("map", $"column '{parts[0]}' is not in the CSV header.");
            else columns[field] = index;
        }
        if (errors.Count == 0 && !columns.Keys.Any(f => f is ImportField.Phone or ImportField.Whatsapp or ImportField.Email or ImportField.ExternalId))
            errors.Add("header", "names no external id, phone, whatsapp or email column (use map=column:field).");
        return (errors.Count == 0 ? new ImportColumns(columns) : null, errors);
    }

    /// <summary>The row, or the reason it is rejected (every bad field, "field: problem; ...").</summary>
    public (ImportRow? Row, string? Reason) Parse(CsvRecord record, string defaultRegion)
    {
        if (record.Error is not null) return (null, record.Error);
        var problems = new List<string>();
        var externalId = Cell(record, ImportField.ExternalId);
        if (externalId is { Length: > 200 }) problems.Add("externalId: must be at most 200 characters");
        var timezone = Cell(record, ImportField.Timezone);
        if (timezone is not null && !IanaTimeZones.IsKnown(timezone)) problems.Add($"timezone: '{timezone}' is not an IANA time zone");
        var region = Cell(record, ImportField.Region)?.ToUpperInvariant();
        if (region is not null && !PhoneRegions.IsSupported(region)) { problems.Add($"region: '{region}' is not an ISO 3166 alpha-2 region"); region = null; }

        var channels = new List<(Channel, string)>();
        foreach (var (field, kind) in new[] { (ImportField.Phone, Channel.Sms), (ImportField.Whatsapp, Channel.Whatsapp), (ImportField.Email, Channel.Email) })
        {
            if (Cell(record, field) is not { } raw) continue;
            var (value, error) = ChannelAddress.Normalize(kind, raw, region ?? defaultRegion);
            if (error is not null) problems.Add($"{Camel(field.ToString())}: {error.TrimEnd('.')}");
            else channels.Add((kind, value!));
        }
        if (problems.Count == 0 && externalId is null && channels.Count == 0)
            problems.Add("row has no externalId and no phone, whatsapp or email");
        if (problems.Count > 0) return (null, string.Join("; ", problems));

        var tags = (Cell(record, ImportField.Tags) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (new ImportRow(record.Line, externalId, Cell(record, ImportField.FirstName), Cell(record, ImportField.LastName),
            timezone, region, [.. tags.Distinct()], channels), null);
    }

    public static bool IsBlank(CsvRecord record) => record.Fields.TrueForAll(string.IsNullOrWhiteSpace);

    string? Cell(CsvRecord record, ImportField field) =>
        columns.TryGetValue(field, out var i) && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } v ? v : null;

    static string Key(string header) => header.Trim().Replace("_", "", StringComparison.Ordinal)
        .Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
