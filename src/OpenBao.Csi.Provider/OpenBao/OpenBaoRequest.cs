namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>One API call below <c>/v1/</c>. <see cref="JsonBody"/> is sent as-is.</summary>
/// <param name="Idempotent">
/// False (the default for reads) when repeating the call could create a second credential: any read
/// may hit a dynamic secrets engine, so only provably unsent or refused attempts are retried.
/// </param>
internal sealed record OpenBaoRequest(HttpMethod Method, string Path, string? Query = null, string? JsonBody = null, bool Idempotent = false)
{
    public OpenBaoOperation Operation { get; init; } = OpenBaoOperationLabels.ForSecretMethod(Method.Method);
}
