using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubernetes.Emulator;

/// <summary>
/// Renders values the way the API server's Go code prints them into messages, so clients
/// that match on message text see what a real cluster would send.
/// </summary>
internal static class GoFormat
{
    /// <summary>Go's %q for the plain strings that appear in Kubernetes names and paths.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Go's %+v of a decoded JSON value (map[string]interface{} with ints kept as int64): <c>map[a:1 b:[x y]]</c>,
    /// keys sorted, strings bare, null as &lt;nil&gt;.
    /// </summary>
    public static string Value(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject map => "map[" + string.Join(' ', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Value(p.Value)}")) + "]",
        JsonArray array => "[" + string.Join(' ', array.Select(Value)) + "]",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => node.AsValue().TryGetValue<long>(out var integer)
                ? integer.ToString(CultureInfo.InvariantCulture)
                : Float(node.GetValue<double>()),
        },
    };

    /// <summary>Go's json.Marshal of a decoded document: compact, with every object's keys sorted as Go sorts map keys.</summary>
    public static string Json(JsonNode? node) => Sorted(node)?.ToJsonString(KubernetesJson.Options) ?? "null";

    /// <summary>metav1.Time's wire form: RFC 3339 in UTC at whole seconds.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>metav1.MicroTime's wire form: RFC 3339 in UTC with exactly six fractional digits.</summary>
    public static string MicroTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>%v of a float64, which is %g with the fewest digits: an exponent below 1e-4 and from 1e6 on.</summary>
    private static string Float(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;
        var significant = digits.TrimStart('0');
        decimalPoint -= digits.Length - significant.Length;
        significant = significant.TrimEnd('0');

        var e = decimalPoint - 1;
        var text = e is < -4 or >= 6
            ? significant[..1] + (significant.Length > 1 ? "." + significant[1..] : string.Empty) + (e < 0 ? "e-" : "e+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture)
            : decimalPoint <= 0
                ? "0." + new string('0', -decimalPoint) + significant
                : decimalPoint >= significant.Length
                    ? significant + new string('0', decimalPoint - significant.Length)
                    : significant[..decimalPoint] + "." + significant[decimalPoint..];
        return value < 0 ? "-" + text : text;
    }
}
