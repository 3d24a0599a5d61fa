using System.Text;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>Get and create of core/v1 Secrets, stored as the JSON the API server would return.</summary>
internal sealed class SecretEndpoints(ClusterStore store, FakeKubernetesApiOptions options, Func<CreateRace?> createRace)
{
    private const int MaxSecretSize = 1024 * 1024;

    public ApiResponse Get(string @namespace, string name)
    {
        if (store.IsDenied("get", "secrets", @namespace))
        {
            return KubernetesStatus.Forbidden(options.CallerUserName, "get", "secrets", null, @namespace, name);
        }

        return store.FindSecret(@namespace, name) is { } secret
            ? new ApiResponse(200, secret)
            : KubernetesStatus.NotFound("secrets", name);
    }

    public async Task<ApiResponse> CreateAsync(string @namespace, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        if (store.IsDenied("create", "secrets", @namespace))
        {
            // A create on the collection has no name yet, so the real message names none.
            return KubernetesStatus.Forbidden(options.CallerUserName, "create", "secrets", null, @namespace, string.Empty);
        }

        var metadata = body["metadata"] as JsonObject ?? [];
        var bodyNamespace = JsonRead.String(metadata["namespace"]);
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != @namespace)
        {
            return KubernetesStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (!TryDecodeData(body, out var data, out var decodeError))
        {
            return KubernetesStatus.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: {decodeError}");
        }

        // NamespaceLifecycle is mutating admission, which runs before the registry generates a name or validates.
        if (store.IsTerminating(@namespace))
        {
            return KubernetesStatus.NamespaceTerminating("secrets", ObjectMetadata.AdmissionName(metadata), @namespace);
        }

        var name = JsonRead.String(metadata["name"]) ?? string.Empty;
        var generateName = JsonRead.String(metadata["generateName"]) ?? string.Empty;
        if (name.Length == 0 && generateName.Length > 0)
        {
            name = ObjectMetadata.GenerateName(generateName);
        }

        var errors = Validate(name, data);
        if (errors.Count > 0)
        {
            return KubernetesStatus.Invalid("Secret", string.Empty, name, errors);
        }

        if (createRace() is { } race)
        {
            await race.ArriveAsync(cancellationToken).ConfigureAwait(false);
        }

        var secret = BuildStored(@namespace, name, body, data);
        if (dryRun)
        {
            return new ApiResponse(201, secret);
        }

        return store.TryCreateSecret(@namespace, name, (JsonObject)secret.DeepClone())
            ? new ApiResponse(201, secret)
            : KubernetesStatus.AlreadyExists("secrets", name);
    }

    /// <summary>Builds a stored Secret directly, bypassing authorization and validation, for test setup.</summary>
    public JsonObject BuildSeed(string @namespace, string name, IReadOnlyDictionary<string, byte[]> data, bool immutable)
    {
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
        if (immutable)
        {
            body["immutable"] = true;
        }

        return BuildStored(@namespace, name, body, data.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    public static SecretRecord ToRecord(JsonObject secret)
    {
        var metadata = secret["metadata"] as JsonObject ?? [];
        return new SecretRecord(
            JsonRead.String(metadata["namespace"]) ?? string.Empty,
            JsonRead.String(metadata["name"]) ?? string.Empty,
            JsonRead.String(metadata["uid"]) ?? string.Empty,
            JsonRead.String(secret["type"]) ?? "Opaque",
            JsonRead.Boolean(secret["immutable"]) ?? false,
            DecodeStoredData(secret),
            JsonRead.StringMap(metadata["labels"]),
            JsonRead.StringMap(metadata["annotations"]));
    }

    public static Dictionary<string, byte[]> DecodeStoredData(JsonObject secret)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret["data"] is JsonObject encoded)
        {
            foreach (var (key, value) in encoded)
            {
                data[key] = Convert.FromBase64String(JsonRead.String(value) ?? string.Empty);
            }
        }

        return data;
    }

    /// <summary>Decodes <c>data</c> and folds <c>stringData</c> over it, as the API server does on write.</summary>
    private static bool TryDecodeData(JsonObject body, out Dictionary<string, byte[]> data, out string error)
    {
        data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        error = string.Empty;
        if (body["data"] is JsonObject encoded)
        {
            foreach (var (key, value) in encoded)
            {
                var text = JsonRead.String(value) ?? string.Empty;
                var buffer = new byte[text.Length];
                if (!Convert.TryFromBase64String(text, buffer, out var written))
                {
                    error = $"illegal base64 data in key {GoFormat.Quote(key)}";
                    return false;
                }

                data[key] = buffer[..written];
            }
        }

        if (body["stringData"] is JsonObject plain)
        {
            foreach (var (key, value) in plain)
            {
                data[key] = Encoding.UTF8.GetBytes(JsonRead.String(value) ?? string.Empty);
            }
        }

        return true;
    }

    private static List<FieldError> Validate(string name, Dictionary<string, byte[]> data)
    {
        var errors = new List<FieldError>();
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            errors.AddRange(ObjectValidation.Name("metadata.name", name));
        }

        var totalSize = 0L;
        foreach (var (key, value) in data)
        {
            errors.AddRange(ObjectValidation.ConfigKey($"data[{key}]", key));
            totalSize += value.Length;
        }

        if (totalSize > MaxSecretSize)
        {
            errors.Add(FieldError.TooLong("data", MaxSecretSize));
        }

        return errors;
    }

    /// <summary>The object as the API server returns it: server-set metadata, data re-encoded, type defaulted.</summary>
    private JsonObject BuildStored(string @namespace, string name, JsonObject body, Dictionary<string, byte[]> data)
    {
        var metadata = ObjectMetadata.Build(
            @namespace,
            name,
            Guid.NewGuid().ToString(),
            store.NextResourceVersion(),
            GoFormat.Timestamp(options.TimeProvider.GetUtcNow()),
            body["metadata"] as JsonObject);

        var secret = new JsonObject
        {
            ["kind"] = "Secret",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
        };
        if (JsonRead.Boolean(body["immutable"]) is { } immutable)
        {
            secret["immutable"] = immutable;
        }

        if (data.Count > 0)
        {
            var encoded = new JsonObject();
            foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                encoded[key] = Convert.ToBase64String(value);
            }

            secret["data"] = encoded;
        }

        var type = JsonRead.String(body["type"]);
        secret["type"] = string.IsNullOrEmpty(type) ? "Opaque" : type;
        return secret;
    }
}
