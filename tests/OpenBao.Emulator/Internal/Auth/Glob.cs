namespace OpenBao.Emulator.Internal.Auth;

/// <summary><c>*</c>-only globs, as OpenBao's <c>StrListContainsGlob</c> matches bound names.</summary>
internal static class Glob
{
    public static bool AnyMatches(IEnumerable<string> patterns, string value) => patterns.Any(pattern => Matches(pattern, value));

    public static bool Matches(string pattern, string value)
    {
        var pieces = pattern.Split('*');
        if (pieces.Length == 1)
        {
            return pattern == value;
        }

        if (!value.StartsWith(pieces[0], StringComparison.Ordinal) || !value.EndsWith(pieces[^1], StringComparison.Ordinal)
            || value.Length < pieces[0].Length + pieces[^1].Length)
        {
            return false;
        }

        var position = pieces[0].Length;
        var end = value.Length - pieces[^1].Length;
        foreach (var piece in pieces[1..^1])
        {
            var found = value.IndexOf(piece, position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + piece.Length;
        }

        return true;
    }
}
