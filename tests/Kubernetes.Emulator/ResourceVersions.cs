namespace Kubernetes.Emulator;

internal static class ResourceVersions
{
    /// <summary>
    /// storage.APIObjectVersioner.ParseResourceVersion: empty and "0" both mean 0. Anything else that is
    /// not a uint64 is a storage InvalidError, which is not a Status, so the API server answers 500 with
    /// the field error as the message and no reason.
    /// </summary>
    public static (ulong Value, ApiResponse? Failure) Parse(string resourceVersion)
    {
        if (resourceVersion.Length == 0)
        {
            return (0, null);
        }

        var (value, error) = GoStrconv.ParseUint(resourceVersion);
        if (error is null)
        {
            return (value, null);
        }

        var field = FieldError.Invalid("resourceVersion", GoFormat.Quote(resourceVersion), error);
        return (0, KubernetesStatus.InternalWithoutReason(field.ToString()));
    }
}
