using System.Globalization;
using System.Net;

namespace OpenBao.Csi.Provider.Hosting;

/// <summary>The health listener's address in Go's <c>host:port</c> form; an empty host means every interface.</summary>
internal sealed record HealthAddress(string? Host, int Port)
{
    public static bool TryParse(string text, out HealthAddress? address)
    {
        address = null;
        var colon = text.LastIndexOf(':');
        if (colon < 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (host.Length > 0 && host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            return false;
        }

        address = new HealthAddress(host.Length == 0 ? null : host, port);
        return true;
    }

    public override string ToString() => Host is null ? $":{Port}" : $"{Host}:{Port}";
}
