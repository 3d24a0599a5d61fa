using OpenBao.Emulator.Internal.Formatting;

namespace OpenBao.Emulator.Tests;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s", "0s")]
    [InlineData(30, "30s", "30s")]
    [InlineData(90, "1m30s", "1m30s")]
    [InlineData(3600, "1h0m0s", "1h")]
    [InlineData(7205, "2h0m5s", "2h5s")]
    [InlineData(4200, "1h10m0s", "1h10m")]
    [InlineData(2764800, "768h0m0s", "768h")]
    public void Format_WholeSeconds_MatchesGo(int seconds, string go, string human)
    {
        Assert.Equal(go, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(human, GoDuration.Human(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(1500, "1.5s")]
    [InlineData(250, "250ms")]
    public void Format_Fractions_MatchesGo(int milliseconds, string go)
    {
        Assert.Equal(go, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("1.5h", 5400)]
    [InlineData("90s", 90)]
    public void TryParse_AcceptsSecondsAndGoUnits(string text, int seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    public void TryParse_RejectsNonsense(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }
}
