using System.Text.Json;
using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>Writes a whole secret as one file in a format an application reads (<c>format:</c> in an object).</summary>
internal interface IFileFormat
{
    /// <summary>The value of <c>format:</c>.</summary>
    string Name { get; }

    /// <summary>Whether <c>keys:</c> applies (key-value formats) or not (certificate formats).</summary>
    bool SelectsKeys { get; }

    /// <param name="data">The secret's data: KV v2's <c>data.data</c>, else <c>data</c>.</param>
    /// <exception cref="RenderException">The data cannot be written in this format; the message names object and cause, never a value.</exception>
    byte[] Render(SecretObject secret, JsonElement data);
}
