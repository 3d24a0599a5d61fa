using System.Globalization;
using System.Text;

namespace Kubernetes.Emulator;

/// <summary>
/// A <c>fieldSelector</c>, parsed like apimachinery's fields.ParseSelector (escapes, sorted terms, <c>=</c>,
/// <c>==</c>, <c>!=</c>) and checked against the field labels the kind's core/v1 conversion accepts, so
/// clients see the same 400 texts as from a real API server.
/// </summary>
internal sealed class FieldSelector
{
    // Checked in this order at each position, so "a==b" is a == b and not a = "=b".
    private static readonly string[] Operators = ["!=", "==", "="];

    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <param name="convertLabel">The kind's field label conversion: the internal label, or null when unsupported.</param>
    /// <returns>The selector, or the message of the 400 BadRequest the API server answers with.</returns>
    public static (FieldSelector? Selector, string? Error) Parse(string? text, Func<string, string?> convertLabel)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (Everything, null);
        }

        var parts = SplitTerms(text);
        parts.Sort(StringComparer.Ordinal);
        var parsed = new List<(string Field, bool Equal, string Value)>();
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (SplitTerm(part) is not { } term)
            {
                return (null, $"invalid selector: '{text}'; can't understand '{part}'");
            }

            var (field, op, rawValue) = term;
            var (value, escapeError) = Unescape(rawValue);
            if (escapeError is not null)
            {
                return (null, escapeError);
            }

            parsed.Add((field, op != "!=", value!));
        }

        // Parsing ends before the conversion to the kind's field labels starts, as in the handler.
        var terms = new List<(string Field, bool Equal, string Value)>(parsed.Count);
        foreach (var (field, equal, value) in parsed)
        {
            if (convertLabel(field) is not { } label)
            {
                return (null, $"field label not supported: {field}");
            }

            terms.Add((label, equal, value));
        }

        return (new FieldSelector(terms), null);
    }

    /// <param name="fieldValue">The object's selectable field set; an absent field reads as empty, as fields.Set.Get does.</param>
    public bool Matches(Func<string, string> fieldValue) => _terms.All(t => (fieldValue(t.Field) == t.Value) == t.Equal);

    /// <summary>Splits on commas not escaped by a backslash, keeping the backslashes for <see cref="Unescape"/>.</summary>
    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    /// <summary>The field name cannot be escaped, so the first operator anywhere splits the term.</summary>
    private static (string Field, string Operator, string Value)? SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var op in Operators)
            {
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                {
                    return (term[..i], op, term[(i + op.Length)..]);
                }
            }
        }

        return null;
    }

    private static (string? Value, string? Error) Unescape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\,=") < 0)
        {
            return (value, null);
        }

        var builder = new StringBuilder(value.Length);
        var escaped = false;
        foreach (var c in value)
        {
            if (escaped)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    return (null, $"invalid field selector: invalid escape sequence: \\{c}");
                }

                builder.Append(c);
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c is ',' or '=')
            {
                // Go formats the offending rune with %v, which prints its code point.
                return (null, $"invalid field selector: unescaped character in value: {((int)c).ToString(CultureInfo.InvariantCulture)}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return escaped ? (null, "invalid field selector: invalid escape sequence: \\") : (builder.ToString(), null);
    }
}
