using System.Text;
using System.Text.RegularExpressions;

namespace Kubernetes.Emulator;

/// <summary>
/// The subset of apimachinery's name and key validation the fake's kinds go through, with its messages.
/// Lengths are in UTF-8 bytes, as Go's len counts them.
/// </summary>
internal static partial class ObjectValidation
{
    private const int MaxSubdomainLength = 253;
    private const int MaxConfigKeyLength = 253;
    private const int MaxQualifiedNameLength = 63;

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string ConfigKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private static readonly string[] NameMayNotContain = ["/", "%"];

    /// <summary>A name that must be a DNS subdomain, as Secret names must.</summary>
    public static IEnumerable<FieldError> Name(string field, string name) =>
        SubdomainErrors(name).Select(message => FieldError.Invalid(field, GoFormat.Quote(name), message));

    /// <summary>validation.IsDNS1123Subdomain.</summary>
    public static IEnumerable<string> SubdomainErrors(string value)
    {
        if (Encoding.UTF8.GetByteCount(value) > MaxSubdomainLength)
        {
            yield return $"must be no more than {MaxSubdomainLength} characters";
        }

        if (!Subdomain().IsMatch(value))
        {
            yield return SubdomainMessage;
        }
    }

    /// <summary>validation.IsQualifiedName: an optional DNS subdomain and '/', then a name of up to 63 characters.</summary>
    public static IEnumerable<string> QualifiedNameErrors(string value)
    {
        var parts = value.Split('/');
        if (parts.Length > 2)
        {
            yield return $"a qualified name {QualifiedNameMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            yield break;
        }

        var name = parts[^1];
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
            {
                yield return "prefix part must be non-empty";
            }
            else
            {
                foreach (var message in SubdomainErrors(parts[0]))
                {
                    yield return "prefix part " + message;
                }
            }
        }

        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (Encoding.UTF8.GetByteCount(name) > MaxQualifiedNameLength)
        {
            yield return $"name part must be no more than {MaxQualifiedNameLength} characters";
        }

        if (!QualifiedName().IsMatch(name))
        {
            yield return "name part " + QualifiedNameMessage;
        }
    }

    /// <summary>
    /// path.ValidatePathSegmentName, all the generic registry asks of the names of kinds (like Event) whose
    /// strategy sets no rule of its own; <paramref name="prefix"/> for a generateName.
    /// </summary>
    public static IEnumerable<string> PathSegmentNameErrors(string name, bool prefix)
    {
        if (!prefix && name is "." or "..")
        {
            yield return $"may not be '{name}'";
            yield break;
        }

        foreach (var illegal in NameMayNotContain)
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                yield return $"may not contain '{illegal}'";
            }
        }
    }

    public static IEnumerable<FieldError> ConfigKey(string field, string key)
    {
        var value = GoFormat.Quote(key);
        if (Encoding.UTF8.GetByteCount(key) > MaxConfigKeyLength)
        {
            yield return FieldError.Invalid(field, value, $"must be no more than {MaxConfigKeyLength} characters");
        }

        if (!ConfigKeyPattern().IsMatch(key))
        {
            yield return FieldError.Invalid(field, value, ConfigKeyMessage);
        }

        if (key == ".")
        {
            yield return FieldError.Invalid(field, value, "must not be '.'");
        }
        else if (key == "..")
        {
            yield return FieldError.Invalid(field, value, "must not be '..'");
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return FieldError.Invalid(field, value, "must not start with '..'");
        }
    }

    // \z, not $: Go's $ does not match before a trailing newline, .NET's does.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKeyPattern();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();
}
