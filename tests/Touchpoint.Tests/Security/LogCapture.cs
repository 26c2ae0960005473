using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace Touchpoint.Tests.Security;

/// <summary>Keeps every log record (message, structured values, exception) the host writes, at every level.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> records = new();

    public IReadOnlyCollection<string> Records => records;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, records);

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            records.Enqueue($"{category} scope: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {Describe(state)} | {exception}");

        static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : state?.ToString() ?? "";
    }
}
