namespace OpenBao.Csi.Provider.Deployment.Tests.Support;

/// <summary>
/// The series selectors of a PromQL expression (metric name and label matchers), found by a small
/// tokenizer: enough to check that rules and dashboards ask only for series the provider exports.
/// Function names, aggregation and grouping clauses, ranges, numbers and Grafana variables are
/// skipped.
/// </summary>
internal static class PromQl
{
    public sealed record Matcher(string Label, string Op, string Value);

    public sealed record Selector(string Metric, IReadOnlyList<Matcher> Matchers)
    {
        public Matcher? this[string label] => Matchers.FirstOrDefault(m => m.Label == label);
    }

    private static readonly HashSet<string> Grouping = ["by", "without", "on", "ignoring", "group_left", "group_right"];
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"];

    // May be followed by a grouping clause before their parenthesis: `sum by (le) (…)`.
    private static readonly HashSet<string> Aggregations =
        ["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"];

    public static IReadOnlyList<Selector> Selectors(string expr)
    {
        var selectors = new List<Selector>();
        string? pending = null;
        var i = 0;

        void Flush()
        {
            if (pending is not null)
            {
                selectors.Add(new Selector(pending, []));
                pending = null;
            }
        }

        while (i < expr.Length)
        {
            var c = expr[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                i = expr.IndexOf('\n', i) is var end and >= 0 ? end : expr.Length;
            }
            else if (c == '{')
            {
                selectors.Add(new Selector(pending ?? "", ReadMatchers(expr, ref i)));
                pending = null;
            }
            else if (c == '[')
            {
                Flush();
                i = expr.IndexOf(']', i) + 1;
                if (i == 0)
                {
                    throw new FormatException($"unclosed [ in {expr}");
                }
            }
            else if (c is '"' or '\'' or '`')
            {
                Flush();
                ReadString(expr, ref i);
            }
            else if (c == '$')
            {
                // A Grafana variable outside a matcher: $name or ${name}.
                Flush();
                i++;
                if (i < expr.Length && expr[i] == '{')
                {
                    i = expr.IndexOf('}', i) + 1;
                }
                else
                {
                    ReadIdentifier(expr, ref i);
                }
            }
            else if (IsIdentifierStart(c))
            {
                Flush();
                var word = ReadIdentifier(expr, ref i);
                var next = SkipSpace(expr, i);
                var lower = word.ToLowerInvariant();
                if (Grouping.Contains(lower))
                {
                    if (next < expr.Length && expr[next] == '(')
                    {
                        i = expr.IndexOf(')', next) + 1;
                    }
                }
                else if (!Keywords.Contains(lower) && !Aggregations.Contains(lower) && !(next < expr.Length && expr[next] == '('))
                {
                    pending = word;
                }
            }
            else if (char.IsAsciiDigit(c) || c == '.')
            {
                Flush();
                while (i < expr.Length && (char.IsAsciiLetterOrDigit(expr[i]) || expr[i] == '.'))
                {
                    i++;
                }
            }
            else
            {
                Flush();
                i++;
            }
        }

        Flush();
        return selectors;
    }

    private static List<Matcher> ReadMatchers(string expr, ref int i)
    {
        var matchers = new List<Matcher>();
        i++; // {
        while (true)
        {
            i = SkipSpace(expr, i);
            if (i >= expr.Length)
            {
                throw new FormatException($"unclosed {{ in {expr}");
            }

            if (expr[i] == ',')
            {
                i++;
                continue;
            }

            if (expr[i] == '}')
            {
                i++;
                return matchers;
            }

            var label = ReadIdentifier(expr, ref i);
            i = SkipSpace(expr, i);
            var op = expr[i..].StartsWith("=~", StringComparison.Ordinal) ? "=~"
                : expr[i..].StartsWith("!~", StringComparison.Ordinal) ? "!~"
                : expr[i..].StartsWith("!=", StringComparison.Ordinal) ? "!="
                : expr[i] == '=' ? "="
                : throw new FormatException($"no matcher operator after '{label}' in {expr}");
            i = SkipSpace(expr, i + op.Length);
            matchers.Add(new Matcher(label, op, ReadString(expr, ref i)));
        }
    }

    private static string ReadString(string expr, ref int i)
    {
        var quote = expr[i];
        if (quote is not ('"' or '\'' or '`'))
        {
            throw new FormatException($"expected a string at {i} in {expr}");
        }

        var value = new System.Text.StringBuilder();
        for (i++; i < expr.Length && expr[i] != quote; i++)
        {
            if (expr[i] == '\\' && quote != '`' && i + 1 < expr.Length)
            {
                i++;
            }

            value.Append(expr[i]);
        }

        i++;
        return value.ToString();
    }

    private static string ReadIdentifier(string expr, ref int i)
    {
        var start = i;
        while (i < expr.Length && (char.IsAsciiLetterOrDigit(expr[i]) || expr[i] is '_' or ':'))
        {
            i++;
        }

        if (i == start)
        {
            throw new FormatException($"expected a name at {i} in {expr}");
        }

        return expr[start..i];
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static int SkipSpace(string expr, int i)
    {
        while (i < expr.Length && char.IsWhiteSpace(expr[i]))
        {
            i++;
        }

        return i;
    }
}
