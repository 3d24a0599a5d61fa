using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// How rendered files write JSON: relaxed escaping keeps '+', '&lt;' and non-ASCII text as written, since the
/// file is read by an application, not embedded in HTML.
/// </summary>
internal static class RelaxedJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions Writer(bool indented) => new() { Indented = indented, Encoder = Encoder };
}
