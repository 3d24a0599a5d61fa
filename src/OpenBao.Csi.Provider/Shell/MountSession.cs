using System.Globalization;
using Grpc.Core;
using OpenBao.Csi.Provider.V1Alpha1;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// One pod's mounts, made as the driver makes them: the first, then the same request on every rotation poll, as
/// the kubelet republishes the volume. A failed poll keeps the last good files, as the driver keeps the old files. Writes the table and the changes to stdout, failures to stderr.
/// </summary>
internal sealed class MountSession(
    IMountTransport transport,
    Func<CancellationToken, Task<MountRequest>> requestFor,
    TargetDirectoryWriter? target,
    TextWriter output,
    TextWriter errors,
    TimeProvider time)
{
    private IReadOnlyList<MountedObject> _objects = [];
    private bool _watching;
    private bool _wrote;

    /// <summary>The first mount: prints the table.</summary>
    /// <returns>False when it failed, which is reported on stderr.</returns>
    public async Task<bool> MountOnceAsync(CancellationToken cancellationToken)
    {
        if (!await PollAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        ObjectTable.Write(output, _objects);
        if (target is not null)
        {
            var files = _objects.Count(o => o.Mode is not null);
            errors.WriteLine(_wrote ? $"Wrote {files} files to {target.Directory}" : $"{target.Directory} already holds these {files} files");
        }

        return true;
    }

    /// <summary>Rotation polls after the first mount, printing what changed, until <paramref name="stop"/>.</summary>
    public async Task WatchAsync(TimeSpan interval, CancellationToken stop)
    {
        _watching = true;
        errors.WriteLine($"Polling every {GoDuration(interval)}, as the driver's rotation does; Ctrl-C stops");
        while (true)
        {
            try
            {
                await Task.Delay(interval, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var before = _objects;
            try
            {
                if (!await PollAsync(stop).ConfigureAwait(false))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            foreach (var change in MountChange.Between(before, _objects))
            {
                output.WriteLine($"{Stamp()}{change}");
            }
        }
    }

    private async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        MountResponse response;
        try
        {
            var request = await requestFor(cancellationToken).ConfigureAwait(false);
            response = await transport.MountAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("stopped while mounting", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            return Fail($"{ex.StatusCode}: {ex.Status.Detail}");
        }

        if (Refusal(response) is { } refusal)
        {
            return Fail($"the driver would refuse the response: {refusal}");
        }

        // The driver writes nothing for a response without files: the provider may write its own (driver issue #551).
        if (target is not null && response.Files.Count > 0)
        {
            try
            {
                _wrote = target.Write(response.Files);
            }
            catch (UnsafeTargetException ex)
            {
                return Fail($"nothing written: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail($"cannot write the files to {target.Directory}: {ex.Message}");
            }
        }

        _objects = MountedObject.From(response);
        return true;
    }

    /// <summary>What the driver checks before it writes anything or records a version.</summary>
    private static string? Refusal(MountResponse response) => response switch
    {
        { Error.Code: { Length: > 0 } code } => $"it carries provider error code {code}",
        { ObjectVersion.Count: 0 } => "it has no object versions",
        _ => response.Files.Select(f => DriverFilePath.Problem(f.Path)).FirstOrDefault(problem => problem is not null),
    };

    private bool Fail(string message)
    {
        errors.WriteLine($"{Stamp()}Mount failed: {message}{(_watching ? "; keeping the previous files" : string.Empty)}");
        return false;
    }

    /// <summary>As <c>-watch</c> takes it: 200ms, 30s, 1m30s.</summary>
    private static string GoDuration(TimeSpan interval) => interval < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMilliseconds:0.###}ms")
        : string.Create(
            CultureInfo.InvariantCulture,
            $"{(interval.TotalHours >= 1 ? $"{(int)interval.TotalHours}h" : string.Empty)}{(interval.TotalMinutes >= 1 ? $"{interval.Minutes}m" : string.Empty)}{interval.TotalSeconds % 60:0.###}s");

    private string Stamp() =>
        _watching ? time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z' ", CultureInfo.InvariantCulture) : string.Empty;
}
