using OpenBao.Csi.Provider.Auth;
using OpenBao.Csi.Provider.Fetching;

namespace OpenBao.Csi.Provider.Renewal;

/// <summary>What happens to a token the cache lets go of: its kept secrets are dropped and, unless turned off, it is revoked with them.</summary>
internal sealed class CredentialReaper(LeaseCache leases, TokenRevoker revoker, bool revoke) : ITokenRetirement
{
    public void Released(CachedToken token, TokenRelease reason)
    {
        var kept = leases.ForgetAll(token);
        if (revoke && reason != TokenRelease.Refused)
        {
            revoker.Revoke(token, reason, kept);
        }
    }
}
