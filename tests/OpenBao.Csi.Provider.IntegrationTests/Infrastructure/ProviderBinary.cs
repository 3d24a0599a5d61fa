using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>
/// The provider as a separate process (the JIT build, or the NativeAOT binary the image ships). A started
/// one is ready when it logs that its socket serves, which the tests await instead of polling for the file.
/// </summary>
internal sealed class ProviderBinary : IDisposable
{
    private const string ServingLine = "Serving CSIDriverProvider on unix socket";

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Task _reading;
    private bool _ended;
    private readonly Task _readingErrors;

    private ProviderBinary(Process process)
    {
        _process = process;
        _reading = ReadOutputAsync();
        _readingErrors = ReadErrorsAsync();
    }

    /// <summary>Every line written to stderr so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <param name="executable">The NativeAOT binary; null runs the JIT build next to the tests with <c>dotnet</c>.</param>
    public static ProcessStartInfo StartInfo(string? executable, params string[] args)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openbao-csi-provider.dll"));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Hermetic: the machine's kubeconfig, if any, is not the tests' cluster.
        start.Environment["KUBECONFIG"] = "/nonexistent";
        return start;
    }

    /// <summary>Runs a command that is expected to end by itself (a refused start, <c>validate</c>, <c>-version</c>).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts the server and returns once it logs that its socket serves (info level or below must be on).</summary>
    public static async Task<ProviderBinary> StartServingAsync(ProcessStartInfo start)
    {
        var binary = new ProviderBinary(Process.Start(start)!);
        await binary.WaitForOutputAsync(line => line.Contains(ServingLine, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return binary;
    }

    /// <summary>Starts a long-running command (<c>mount -watch</c>) whose output the test follows with <see cref="WaitForOutputAsync"/>.</summary>
    public static ProviderBinary Start(ProcessStartInfo start) => new(Process.Start(start)!);

    /// <summary>Returns the first stdout line that matches, once the command has written it.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.FirstOrDefault(match) is { } written)
            {
                return written;
            }

            if (_ended)
            {
                throw NoSuchLine("before the process ended");
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                throw NoSuchLine($"within {timeout}");
            }
        }
    }

    /// <summary>SIGTERM, as the kubelet stops the pod; returns the exit code and every line written to stdout.</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Output)> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _reading;
        await _readingErrors;
        lock (_gate)
        {
            return (_process.ExitCode, [.. _output]);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _output.Add(line);
                foreach (var waiter in _waiters.Where(waiter => waiter.Match(line)).ToList())
                {
                    waiter.Found.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
        }

        lock (_gate)
        {
            _ended = true;
            foreach (var (_, found) in _waiters)
            {
                found.TrySetException(NoSuchLine("before the process ended"));
            }

            _waiters.Clear();
        }
    }

    /// <summary>Called under the gate, which guards the output.</summary>
    private InvalidOperationException NoSuchLine(string when) =>
        new($"no such line {when}; stdout: {string.Join(" | ", _output)}; stderr: {string.Join(" | ", _errors)}");

    private async Task ReadErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            _errors.Enqueue(line);
        }
    }
}
