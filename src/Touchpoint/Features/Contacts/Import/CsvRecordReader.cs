using System.Text;

namespace Touchpoint.Features.Contacts.Import;

/// <summary>One CSV record: the 1-based line it starts on, its fields, and why it is malformed (if it is).</summary>
public sealed record CsvRecord(int Line, List<string> Fields, string? Error);

/// <summary>
/// RFC 4180 reader, streaming and async (request bodies cannot be read synchronously): fields separated by
/// commas, optionally quoted; inside quotes commas, CR/LF and doubled quotes ("") are data. Lines end in
/// LF, CRLF or CR. Lenient where files in the wild are sloppy: a quote inside an unquoted field is kept.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    const int None = -2;
    readonly char[] buffer = new char[64 * 1024];
    readonly StringBuilder field = new();
    int position, length, pushedBack = None, line = 1;

    /// <summary>The next record, or null at the end of the input.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken ct)
    {
        var start = line;
        var fields = new List<string>();
        field.Clear();
        bool inQuotes = false, quoted = false, any = false;
        while (true)
        {
            var c = await NextAsync(ct);
            if (c == -1)
            {
                if (!any) return null;
                fields.Add(field.ToString());
                return new CsvRecord(start, fields, inQuotes ? "unterminated quoted field" : null);
            }
            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    var next = await NextAsync(ct);
                    if (next == '"') field.Append('"');
                    else { inQuotes = false; pushedBack = next; }
                    continue;
                }
                if (c is '\r' or '\n') await EndOfLineAsync(c, ct, keep: true);
                else field.Append((char)c);
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    quoted = false;
                    break;
                case '"' when field.Length == 0 && !quoted:
                    inQuotes = quoted = true;
                    break;
                case '\r' or '\n':
                    await EndOfLineAsync(c, ct, keep: false);
                    fields.Add(field.ToString());
                    return new CsvRecord(start, fields, null);
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }

    async ValueTask EndOfLineAsync(int c, CancellationToken ct, bool keep)
    {
        line++;
        if (keep) field.Append((char)c);
        if (c != '\r') return;
        var next = await NextAsync(ct);
        if (next == '\n') { if (keep) field.Append('\n'); }
        else pushedBack = next;
    }

    ValueTask<int> NextAsync(CancellationToken ct)
    {
        if (pushedBack != None)
        {
            var c = pushedBack;
            pushedBack = None;
            return ValueTask.FromResult(c);
        }
        return position < length ? ValueTask.FromResult<int>(buffer[position++]) : FillAsync(ct);
    }

    async ValueTask<int> FillAsync(CancellationToken ct)
    {
        length = await reader.ReadAsync(buffer.AsMemory(), ct);
        position = 0;
        return length == 0 ? -1 : buffer[position++];
    }
}
