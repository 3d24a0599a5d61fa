namespace OpenBao.Csi.Provider.Mounting;

internal enum SecretEncoding
{
    Utf8,
    Base64,
    Hex,
}
