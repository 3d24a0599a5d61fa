using Grpc.Core;
using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// The token the driver would pass for the pod: read from a file (a projected service-account token, rotated
/// on disk, so read again on every poll), or requested through the kubeconfig and kept, as the kubelet keeps
/// it, until 80% of its lifetime has passed.
/// </summary>
internal sealed class PodTokenSource
{
    private const double RefreshFraction = 0.8;

    private readonly string _audience;
    private readonly string? _file;
    private readonly IServiceAccountTokenRequester? _requester;
    private readonly PodIdentity? _pod;
    private readonly TimeProvider _time;
    private PodToken? _kept;
    private DateTimeOffset _refreshAt;

    private PodTokenSource(string audience, string? file, IServiceAccountTokenRequester? requester, PodIdentity? pod, TimeProvider time)
    {
        _audience = audience;
        _file = file;
        _requester = requester;
        _pod = pod;
        _time = time;
    }

    public static PodTokenSource FromFile(string path, string audience) => new(audience, path, null, null, TimeProvider.System);

    public static PodTokenSource FromTokenRequest(IServiceAccountTokenRequester requester, MountPod pod, string audience, TimeProvider time) =>
        new(audience, null, requester, new PodIdentity(pod.Namespace, pod.ServiceAccount, pod.Name, pod.Uid), time);

    /// <exception cref="RpcException">No token: the status the provider itself would give for it.</exception>
    public async Task<PodToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_file is not null)
        {
            return Read(_file);
        }

        if (_kept is not null && _time.GetUtcNow() < _refreshAt)
        {
            return _kept;
        }

        string jwt;
        try
        {
            jwt = await _requester!.RequestAsync(_pod!, _audience, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceAccountTokenException ex)
        {
            var status = MountErrorMapping.ToStatus(ex, DateTime.MaxValue);
            throw new RpcException(new Status(status.StatusCode, $"TokenRequest through the kubeconfig: {status.Detail}"));
        }

        var now = _time.GetUtcNow();
        _kept = new PodToken(_audience, jwt, UnverifiedJwt.Expiry(jwt));
        _refreshAt = _kept.ExpiresAt is { } expiry && expiry > now ? now + ((expiry - now) * RefreshFraction) : now;
        return _kept;
    }

    private PodToken Read(string path)
    {
        string jwt;
        try
        {
            jwt = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"cannot read -token-file {path}: {ex.Message}"));
        }

        return jwt.Length > 0
            ? new PodToken(_audience, jwt, UnverifiedJwt.Expiry(jwt))
            : throw new RpcException(new Status(StatusCode.FailedPrecondition, $"-token-file {path} is empty"));
    }
}
