using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>"HH:mm" text for trace details without NodaTime's pattern machinery: denials are a hot path too.</summary>
static class ClockText
{
    public static string Of(LocalTime time) => string.Create(5, time, static (span, t) => Write(span, t));

    public static string Range(LocalTime start, LocalTime end) => string.Create(11, (start, end), static (span, r) =>
    {
        Write(span, r.start);
        span[5] = '–';
        Write(span[6..], r.end);
    });

    static void Write(Span<char> span, LocalTime time)
    {
        span[0] = (char)('0' + time.Hour / 10);
        span[1] = (char)('0' + time.Hour % 10);
        span[2] = ':';
        span[3] = (char)('0' + time.Minute / 10);
        span[4] = (char)('0' + time.Minute % 10);
    }
}
