namespace OpenBao.Csi.Provider.Auth;

/// <summary>Told when the cache lets go of a token, so what the token held is cleaned up.</summary>
internal interface ITokenRetirement
{
    void Released(CachedToken token, TokenRelease reason);
}
