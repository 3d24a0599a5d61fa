using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OpenBao.Csi.Provider.IntegrationTests.Infrastructure;

/// <summary>
/// Remembers every secret value and JWT the tests handle, and checks text for any of them and for
/// anything shaped like an OpenBao token or a JWT (the provider's own tokens never reach the tests).
/// Only fragments are reported, so a failing check does not leak the value into test output.
/// </summary>
internal sealed partial class SecretWitness
{
    private readonly ConcurrentDictionary<string, byte> _secrets = new();

    public string Remember(string secret)
    {
        if (secret.Length >= 6)
        {
            _secrets.TryAdd(secret, 0);
        }

        return secret;
    }

    /// <summary>Fails a fixture's disposal when any remembered secret reached the provider's logs.</summary>
    public void ThrowIfLeaked(IEnumerable<string> logLines)
    {
        var leaks = FindLeaks(logLines);
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException($"secrets reached the provider's logs:\n{string.Join('\n', leaks)}");
        }
    }

    public IReadOnlyList<string> FindLeaks(IEnumerable<string> texts)
    {
        var leaks = new List<string>();
        foreach (var text in texts)
        {
            foreach (var secret in _secrets.Keys)
            {
                // JWTs are also checked by their signature part, which is what identifies them.
                var probes = secret.Count(c => c == '.') == 2 ? [secret, secret[(secret.LastIndexOf('.') + 1)..]] : new[] { secret };
                if (probes.Any(p => text.Contains(p, StringComparison.Ordinal)))
                {
                    leaks.Add($"a secret starting '{secret[..3]}…' ({secret.Length} chars) appears in: {text[..Math.Min(60, text.Length)]}…");
                }
            }
        }

        foreach (var text in texts.Where(t => TokenShape().IsMatch(t)))
        {
            leaks.Add($"something shaped like an OpenBao token or JWT appears in: {text[..Math.Min(60, text.Length)]}…");
        }

        return leaks;
    }

    [GeneratedRegex(@"\b[sbr]\.[A-Za-z0-9]{24}\b|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex TokenShape();
}
