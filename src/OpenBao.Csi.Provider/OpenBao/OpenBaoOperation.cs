namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>What a request to OpenBao is for: the one label its metrics carry instead of its path.</summary>
internal enum OpenBaoOperation
{
    Read,
    List,
    Write,
    Login,
    RenewToken,
    RevokeToken,
    RenewLease,
}

internal static class OpenBaoOperationLabels
{
    public static string Label(this OpenBaoOperation operation) => operation switch
    {
        OpenBaoOperation.Read => "read",
        OpenBaoOperation.List => "list",
        OpenBaoOperation.Write => "write",
        OpenBaoOperation.Login => "login",
        OpenBaoOperation.RenewToken => "renew_token",
        OpenBaoOperation.RevokeToken => "revoke_token",
        _ => "renew_lease",
    };

    /// <summary>A secret read by its HTTP method: GET reads, LIST lists, anything else (PKI issue, a POST to creds) writes.</summary>
    public static OpenBaoOperation ForSecretMethod(string method) => method switch
    {
        "GET" => OpenBaoOperation.Read,
        "LIST" => OpenBaoOperation.List,
        _ => OpenBaoOperation.Write,
    };
}
