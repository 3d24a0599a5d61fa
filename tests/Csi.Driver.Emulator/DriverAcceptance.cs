using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using OpenBao.Csi.Provider.V1Alpha1;

namespace Csi.Driver.Emulator;

/// <summary>
/// What the driver does with a Mount answer before it writes anything (pkg/secrets-store/provider_client.go,
/// pkg/util/fileutil/writer.go and atomic_writer.go), applied to every answer a test receives: an answer the
/// driver would refuse, or whose files it would write differently than listed, fails the test that got it.
/// </summary>
public sealed class DriverAcceptance : Interceptor
{
    private const int MaxPathLength = 4096;
    private const int MaxFileNameLength = 255;

    /// <summary>A client that checks every Mount answer as the driver would.</summary>
    public static CSIDriverProvider.CSIDriverProviderClient Client(ChannelBase channel) => new(channel.Intercept(new DriverAcceptance()));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(Checked(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private static async Task<TResponse> Checked<TResponse>(Task<TResponse> answer)
    {
        var response = await answer;
        if (response is MountResponse mount && Problems(mount) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"the driver would not take this Mount answer as sent: {string.Join("; ", problems)}");
        }

        return response;
    }

    /// <summary>Why the driver would refuse the answer or write other files than it lists; empty when it takes it as sent.</summary>
    public static IReadOnlyList<string> Problems(MountResponse response)
    {
        var problems = new List<string>();
        if (response.Error is { Code.Length: > 0 } error)
        {
            problems.Add($"it carries provider error code {error.Code}");
        }

        // Go decodes an empty repeated field as nil, which the driver takes as a provider that sent no versions.
        if (response.ObjectVersion.Count == 0)
        {
            problems.Add("it has no object versions");
        }

        foreach (var path in response.Files.Select(file => file.Path))
        {
            if (PathProblem(path) is { } problem)
            {
                problems.Add($"file '{path}': {problem}");
            }
        }

        // The driver writes a map keyed by path: a second file at one path silently replaces the first.
        problems.AddRange(response.Files.GroupBy(file => file.Path, StringComparer.Ordinal).Where(group => group.Count() > 1)
            .Select(group => $"file '{group.Key}' is listed {group.Count()} times"));
        return problems;
    }

    private static string? PathProblem(string path)
    {
        if (path.Length == 0)
        {
            return "empty path";
        }

        if (path.StartsWith('/'))
        {
            return "absolute path";
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathLength)
        {
            return $"longer than {MaxPathLength} bytes";
        }

        var items = path.Split('/');
        if (items.Any(item => item == ".."))
        {
            return "contains '..'";
        }

        if (items.Any(item => Encoding.UTF8.GetByteCount(item) > MaxFileNameLength))
        {
            return $"an element longer than {MaxFileNameLength} bytes";
        }

        if (items[0].StartsWith("..", StringComparison.Ordinal) && items[0].Length > 2)
        {
            return "starts with '..'";
        }

        // filepath.Clean(path) != path: empty or '.' elements, or a trailing slash.
        return items.Any(item => item is "" or ".") ? "not in clean form" : null;
    }
}
