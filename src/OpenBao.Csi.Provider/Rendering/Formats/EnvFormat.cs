using System.Text;
using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// <c>format: env</c>: <c>NAME='value'</c> lines that POSIX <c>sh</c> sources (<c>set -a; . ./file</c>)
/// back into exactly the stored values. Single quotes make every character literal ($, `, \, newlines);
/// a quote itself is closed, escaped and reopened.
/// </summary>
internal sealed class EnvFormat : IFileFormat
{
    public string Name => "env";

    public bool SelectsKeys => true;

    public byte[] Render(SecretObject secret, JsonElement data)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in SecretEntries.Select(secret, data))
        {
            if (!IsVariableName(key))
            {
                throw new RenderException(
                    $"object '{secret.ObjectName}': key '{key}' is not a shell variable name (letters, digits and _, not starting with a digit); list the usable keys with keys:",
                    keyMissing: false);
            }

            var literal = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (literal.Contains('\0', StringComparison.Ordinal))
            {
                throw new RenderException($"object '{secret.ObjectName}': the value of key '{key}' holds a NUL character, which no shell variable can", keyMissing: false);
            }

            text.Append(key).Append("='").Append(literal.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static bool IsVariableName(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
