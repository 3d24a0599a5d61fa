namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>One API call below <c>/v1/</c>. <see cref="JsonBody"/> is sent as-is.</summary>
internal sealed record OpenBaoRequest(HttpMethod Method, string Path, string? Query = null, string? JsonBody = null);
