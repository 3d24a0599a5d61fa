using System.Text.Json;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// System.Text.Json accepts an escaped unpaired surrogate (<c>"\ud800"</c>) while parsing and throws
/// only when the string is read, anywhere later. OpenBao's Go encoder never writes one, so such an
/// answer is refused at the door instead of failing deep in a stage.
/// </summary>
internal static class JsonStrings
{
    /// <returns>False when a name or string value cannot be read as text; true otherwise, also for input that is not JSON (parsing reports that).</returns>
    public static bool AreReadable(ReadOnlySpan<byte> json)
    {
        // Only a \u escape can spell a surrogate: answers without one, nearly all, need no second pass.
        if (json.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }
}
