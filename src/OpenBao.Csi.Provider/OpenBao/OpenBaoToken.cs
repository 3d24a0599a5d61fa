namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>A client token from a login. A zero <see cref="Ttl"/> means OpenBao set no expiry.</summary>
internal sealed record OpenBaoToken(string ClientToken, DateTimeOffset ObtainedAt, TimeSpan Ttl, bool Renewable)
{
    // A record's generated ToString would print the token into any log or assertion message.
    public override string ToString() => $"OpenBaoToken(ttl={Ttl}, renewable={Renewable})";
}
