namespace OpenBao.Csi.Provider.Shell;

/// <summary>A service-account JWT for one audience, as the kubelet hands the driver one (CSIDriver <c>tokenRequests</c>).</summary>
internal sealed record PodToken(string Audience, string Token, DateTimeOffset? ExpiresAt)
{
    // Keeps the JWT out of any generated ToString, log line or assertion message.
    public override string ToString() => $"PodToken({Audience}, expires={ExpiresAt:O})";
}
