using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// A logger provider that keeps a host's warnings and errors with the messages of their exceptions (inner ones
/// included), for tests that wait for a host to report a failure.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The captured lines so far, oldest first.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static IEnumerable<string> Messages(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        while (pending.TryPop(out var current))
        {
            yield return $"{current.GetType().Name}: {current.Message}";
            var inner = current is AggregateException aggregate ? aggregate.InnerExceptions : current.InnerException is { } one ? [one] : [];
            foreach (var next in inner)
            {
                pending.Push(next);
            }
        }
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {string.Join(" | ", Messages(exception))}");
            }
        }
    }
}
