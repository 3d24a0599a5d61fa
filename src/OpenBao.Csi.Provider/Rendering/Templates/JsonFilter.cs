using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// The <c>json</c> filter (<c>{{ data | json }}</c>, <c>{{ data | json: true }}</c> for indented). Fluid's own hands
/// dictionaries to the reflection-based <see cref="JsonSerializer"/>, which the NativeAOT binary does not have, so
/// every template using it failed there. This one walks the values the provider builds from JSON and writes them
/// escaped the way the <c>json</c> format writes files.
/// </summary>
internal static class JsonFilter
{
    public const string Name = "json";

    public static ValueTask<FluidValue> Apply(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RelaxedJson.Writer(indented: arguments.At(0).ToBooleanValue())))
        {
            Write(writer, input);
        }

        return new StringValue(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Write(Utf8JsonWriter writer, FluidValue value)
    {
        switch (value)
        {
            case NilValue:
                writer.WriteNullValue();
                break;
            case BooleanValue:
                writer.WriteBooleanValue(value.ToBooleanValue());
                break;
            case NumberValue:
                writer.WriteNumberValue(value.ToNumberValue());
                break;
            case ArrayValue array:
                writer.WriteStartArray();
                foreach (var item in array.Values)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case DictionaryValue when value.ToObjectValue() is IFluidIndexable dictionary:
                writer.WriteStartObject();
                foreach (var key in dictionary.Keys)
                {
                    writer.WritePropertyName(key);
                    Write(writer, dictionary.TryGetValue(key, out var item) ? item : NilValue.Instance);
                }

                writer.WriteEndObject();
                break;
            default:
                // Strings, and what filters turn into text (dates, blank, empty).
                writer.WriteStringValue(value.ToStringValue());
                break;
        }
    }
}
