using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Metrics;
using OpenBao.Csi.Provider.Mounting;
using OpenBao.Csi.Provider.OpenBao;

namespace OpenBao.Csi.Provider.Auth;

/// <summary>Opens an <see cref="OpenBaoSession"/> for a mount: the pod's identity, its cached token, and how to log in again.</summary>
internal sealed class OpenBaoAuthenticator(
    ServiceAccountTokenSource tokenSource,
    TokenCache cache,
    ProviderMetrics metrics,
    ILogger<OpenBaoAuthenticator> logger)
{
    public OpenBaoSession Open(OpenBaoClient client, string authMount, MountConfiguration mount)
    {
        var audience = tokenSource.AudienceFor(mount);
        var pod = mount.Pod;
        var key = new TokenCacheKey(
            client.Connection.Address.AbsoluteUri,
            client.Connection.Namespace,
            authMount,
            mount.RoleName,
            audience,
            pod.Namespace,
            pod.ServiceAccountName,
            pod.Uid,
            pod.Name,
            pod.Uid is null && mount.DriverTokens.TryGetValue(audience, out var driverToken) ? Digest(driverToken.Token) : null);

        // Runs detached from any one caller (see TokenCache), so it is bounded by the client's request timeout instead.
        async Task<OpenBaoToken> LoginAsync()
        {
            var jwt = await tokenSource.GetAsync(mount, CancellationToken.None).ConfigureAwait(false);
            var serviceAccount = $"{pod.Namespace}/{pod.ServiceAccountName}";
            try
            {
                var token = await client.LoginAsync(authMount, mount.RoleName, jwt, CancellationToken.None).ConfigureAwait(false);
                metrics.Token(TokenOutcome.LoggedIn);
                Log.LoggedIn(logger, mount.RoleName, authMount, serviceAccount, pod.Name, token.Ttl);
                return token;
            }
            catch (OpenBaoException ex)
            {
                throw new LoginFailedException(authMount, mount.RoleName, serviceAccount, ex);
            }
        }

        return new OpenBaoSession(client, cache, key, LoginAsync);
    }

    private static string Digest(string jwt) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(jwt)));
}
