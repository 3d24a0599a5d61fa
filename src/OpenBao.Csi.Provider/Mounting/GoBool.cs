namespace OpenBao.Csi.Provider.Mounting;

/// <summary>Booleans spelled the way Go's strconv.ParseBool accepts them, so Go-era manifests keep working.</summary>
internal static class GoBool
{
    public static bool TryParse(string text, out bool value)
    {
        switch (text.Trim())
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
