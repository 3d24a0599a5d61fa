namespace OpenBao.Csi.Provider.OpenBao;

/// <summary><c>auth.client_token</c>, <c>auth.lease_duration</c> (seconds) and <c>auth.renewable</c>.</summary>
internal sealed record LoginAuth(string ClientToken, long LeaseDuration, bool Renewable)
{
    public override string ToString() => $"LoginAuth(ttl={LeaseDuration}s, renewable={Renewable})";
}
