using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.KubernetesApi;

namespace OpenBao.Csi.Provider.Versioning;

/// <summary>
/// The key every provider pod shares, so all nodes compute the same versions: read from a Secret,
/// or created (immutable, 32 random bytes) by whichever pod gets there first. Read once, then cached.
/// </summary>
internal sealed class KubernetesSecretVersionKeySource(
    KubernetesApiClient kubernetes,
    string @namespace,
    string name,
    ILogger<KubernetesSecretVersionKeySource> logger) : IVersionKeySource
{
    public const string DataKey = "key";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    private string Where => $"Secret {@namespace}/{name}";

    public async ValueTask<byte[]> GetKeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is null)
            {
                var key = await ReadOrCreateAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _key, key);
            }

            return _key!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> ReadOrCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await TryReadAsync(cancellationToken).ConfigureAwait(false) is { } existing)
            {
                Log.VersionKeyRead(logger, @namespace, name);
                return existing;
            }

            var secret = new Secret(
                new ObjectMeta(name, @namespace, Labels: new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "openbao-csi-provider" }),
                new Dictionary<string, byte[]> { [DataKey] = RandomNumberGenerator.GetBytes(FileVersionKeySource.MinimumKeyLength) },
                Immutable: true,
                Type: "Opaque");
            try
            {
                var created = await kubernetes.SendAsync(
                    HttpMethod.Post, SecretsPath, secret, KubernetesJsonContext.Default.Secret, KubernetesJsonContext.Default.Secret, cancellationToken).ConfigureAwait(false);
                Log.VersionKeyCreated(logger, @namespace, name);
                return Validate(created);
            }
            catch (KubernetesApiException ex) when (ex.IsAlreadyExists)
            {
                // Another provider pod created it between our read and our create: use the winner's key.
                Log.VersionKeyRaceLost(logger, @namespace, name);
                return await TryReadAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new VersionKeyException($"{Where} was created by another provider pod but cannot be read back");
            }
        }
        catch (KubernetesApiException ex)
        {
            throw new VersionKeyException(Describe(ex), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VersionKeyException($"the Kubernetes API did not answer in time when reading {Where}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new VersionKeyException($"cannot reach the Kubernetes API to read {Where}: {ex.Message}", ex);
        }
    }

    private async Task<byte[]?> TryReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Validate(await kubernetes.SendAsync(
                HttpMethod.Get, $"{SecretsPath}/{Uri.EscapeDataString(name)}", KubernetesJsonContext.Default.Secret, cancellationToken).ConfigureAwait(false));
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private string SecretsPath => $"api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/secrets";

    private byte[] Validate(Secret secret) =>
        secret.Data is { } data && data.TryGetValue(DataKey, out var key) && key is { Length: >= FileVersionKeySource.MinimumKeyLength }
            ? key
            : throw new VersionKeyException(
                $"{Where} has no '{DataKey}' of at least {FileVersionKeySource.MinimumKeyLength} bytes; delete it (kubectl -n {@namespace} delete secret {name}) and the provider creates a new one");

    private string Describe(KubernetesApiException ex) => ex switch
    {
        { IsNamespaceTerminating: true } => $"{Where} cannot be created: namespace {@namespace} is being deleted ({ex.Message})",
        { IsAuthorizationDenial: true } => $"the provider may not read or create {Where}: its Role needs 'get' on that Secret and 'create' on secrets ({ex.Message})",
        _ => $"reading or creating {Where} failed with HTTP {(int)ex.StatusCode}: {ex.Message}",
    };
}
