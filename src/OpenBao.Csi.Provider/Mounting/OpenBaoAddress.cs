namespace OpenBao.Csi.Provider.Mounting;

/// <summary>The address forms OpenBao's own client accepts: http://, https://, and unix:///path for an Agent's socket.</summary>
internal static class OpenBaoAddress
{
    public const string UnixScheme = "unix";

    public const string Expected = "an http://, https:// or unix:// URL";

    public static bool TryParse(string text, out Uri? address) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out address)
        && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps || (address.Scheme == UnixScheme && address.AbsolutePath.Length > 1));
}
