namespace OpenBao.Csi.Provider.Fetching;

/// <summary>What a poll should do with a kept secret.</summary>
internal enum SecretState
{
    /// <summary>Serve it as it is.</summary>
    Fresh,

    /// <summary>Past the renewal point of its lease: renew, then serve.</summary>
    RenewalDue,

    /// <summary>It cannot be kept alive long enough (or is gone): issue a new one.</summary>
    ReissueDue,
}
