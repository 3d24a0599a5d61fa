using System.Text.RegularExpressions;

namespace Kubernetes.Emulator;

/// <summary>The subset of apimachinery's name and key validation that Secrets go through, with its messages.</summary>
internal static partial class ObjectValidation
{
    private const int MaxSubdomainLength = 253;
    private const int MaxConfigKeyLength = 253;

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string ConfigKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    public static IEnumerable<FieldError> Name(string field, string name)
    {
        var value = GoFormat.Quote(name);
        if (name.Length > MaxSubdomainLength)
        {
            yield return FieldError.Invalid(field, value, $"must be no more than {MaxSubdomainLength} characters");
        }

        if (!Subdomain().IsMatch(name))
        {
            yield return FieldError.Invalid(field, value, SubdomainMessage);
        }
    }

    public static IEnumerable<FieldError> ConfigKey(string field, string key)
    {
        var value = GoFormat.Quote(key);
        if (key.Length > MaxConfigKeyLength)
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

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKeyPattern();
}
