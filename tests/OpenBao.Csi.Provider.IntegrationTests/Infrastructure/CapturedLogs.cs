using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>Every line the provider hosts log during the run, at trace level, with exceptions, for the leak check.</summary>
/// <param name="keepOnly">When set, only lines it accepts are kept (a long run checks each line as it comes instead of keeping all).</param>
internal sealed class CapturedLogs(Func<string, bool>? keepOnly = null) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private long _seen;

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Every line logged, kept or not.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    public void Add(string line)
    {
        Interlocked.Increment(ref _seen);
        if (keepOnly is null || keepOnly(line))
        {
            _lines.Enqueue(line);
        }

        lock (_waiters)
        {
            _waiters.RemoveAll(waiter => waiter.Match(line) && waiter.Found.TrySetResult(line));
        }
    }

    /// <summary>
    /// The first line, already logged or still to come, that <paramref name="match"/> accepts: for lines a background
    /// service writes after the step the test can observe.
    /// </summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((match, found));
        }

        foreach (var line in _lines.Where(match))
        {
            found.TrySetResult(line);
        }

        return found.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturedLogs sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured values too: a secret could hide in a parameter the message template leaves out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            sink.Add($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
