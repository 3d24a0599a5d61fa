namespace OpenBao.Csi.Provider.Mounting;

/// <summary>A service-account token the driver requested for one audience (CSIDriver <c>tokenRequests</c>).</summary>
internal sealed record DriverToken(string Token, DateTimeOffset? ExpiresAt)
{
    // Keeps the JWT out of any generated ToString, log line or assertion message.
    public override string ToString() => $"DriverToken(expires={ExpiresAt:O})";
}
