using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenBao.Csi.Provider.Deployment.Tests.Support;

namespace OpenBao.Csi.Provider.Deployment.Tests;

/// <summary>The chart, the image and the repository declare one licence, and LICENSE holds its text.</summary>
public sealed partial class LicenseTests
{
    private const string Spdx = "MPL-2.0";

    // SHA-256 of the Mozilla Public License 2.0 as published at https://www.mozilla.org/MPL/2.0/,
    // with line endings and trailing spaces normalised (see Normalise).
    private const string Mpl2Sha256 = "1f256ecad192880510e84ad60474eab7589218784b9a50bc7ceee34c2b91f1d5";

    [Fact]
    public void License_IsTheUnchangedMpl2Text()
    {
        var path = Repo.Path("LICENSE");
        Assert.True(File.Exists(path), "no LICENSE at the top of the repository");
        var text = File.ReadAllText(path);

        Assert.StartsWith("Mozilla Public License Version 2.0", text, StringComparison.Ordinal);
        Assert.Equal(Mpl2Sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(text)))));
    }

    [Fact]
    public void Chart_DeclaresTheLicenseOfLicenseFile()
    {
        Assert.Equal(Spdx, Chart.Metadata.Str("annotations", "artifacthub.io/license"));
    }

    [Fact]
    public void Image_DeclaresTheLicenseOfLicenseFile()
    {
        var match = ImageLicenseLabel().Match(File.ReadAllText(Repo.Path("Dockerfile")));

        Assert.True(match.Success, "no org.opencontainers.image.licenses label in the Dockerfile");
        Assert.Equal(Spdx, match.Groups["spdx"].Value);
    }

    /// <summary>Git may check the file out with CRLF, and editors strip trailing spaces: neither changes the licence.</summary>
    private static string Normalise(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())).Trim() + "\n";

    [GeneratedRegex("org\\.opencontainers\\.image\\.licenses=\"(?<spdx>[^\"]+)\"")]
    private static partial Regex ImageLicenseLabel();
}
