using System.Collections.Concurrent;

namespace OpenBao.Csi.Provider.Internal;

/// <summary>
/// What was recently made from a text, by the text itself: every rotation poll sends the same text again, and
/// reading it anew was a large part of a warm mount. Bounded by count and text length; when full it starts
/// over, since the texts one node sees are few and change rarely.
/// </summary>
internal sealed class RecentlyParsed<T>(int capacity, int maxTextLength)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _parsed = new(StringComparer.Ordinal);

    /// <param name="parse">Pure: what it returns is handed to every later caller with the same text.</param>
    public T GetOrParse(string text, Func<string, T> parse)
    {
        if (text.Length > maxTextLength)
        {
            return parse(text);
        }

        if (_parsed.TryGetValue(text, out var known))
        {
            return known;
        }

        var parsed = parse(text);
        if (_parsed.Count >= capacity)
        {
            _parsed.Clear();
        }

        _parsed[text] = parsed;
        return parsed;
    }
}
