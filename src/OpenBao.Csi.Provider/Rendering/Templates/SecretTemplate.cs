using System.Text.Json;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;

namespace OpenBao.Csi.Provider.Rendering;

/// <summary>
/// A Liquid template of one object (<c>template:</c>), rendered with Fluid on values built from JSON,
/// so no reflection is involved. <c>data</c> is the object's secret data; <c>objects.NAME</c> the text
/// of the SecretProviderClass's other (non-template) objects.
/// </summary>
internal sealed partial class SecretTemplate
{
    private static readonly FluidParser Parser = new();

    // Bounded so a template cannot spin or recurse without end inside a mount.
    private static readonly TemplateOptions Options = LimitedOptions();

    /// <summary>The driver takes at most 4 MiB per mount; a template writing more is a runaway loop.</summary>
    private const int MaxOutputChars = 4 * 1024 * 1024;

    private readonly IFluidTemplate _template;

    private SecretTemplate(string text, IFluidTemplate template)
    {
        Text = text;
        _template = template;
    }

    /// <summary>The template as written, part of the file's version.</summary>
    public string Text { get; }

    /// <returns>Null with <paramref name="error"/> (which names the line) when the text is not a valid template.</returns>
    public static SecretTemplate? TryParse(string text, out string? error)
    {
        if (!Parser.TryParse(text, out var template, out var message))
        {
            error = message;
            return null;
        }

        if (!RangeGuard.IsBounded(template))
        {
            error = $"a range (a..b) needs number bounds at most {RangeGuard.MaxRange} apart";
            return null;
        }

        // The driver writes the whole volume anew whenever a file's bytes change: a file that shows the time would
        // be replaced on every poll, and the applications watching the volume would reload each time.
        if (TheTime().Match(text) is { Success: true } time)
        {
            error = $"{time.Value} would change the file on every rotation poll: take dates from the secret's data instead";
            return null;
        }

        error = null;
        return new SecretTemplate(text, template);
    }

    /// <summary>
    /// Steps and recursion are bounded by Fluid; the size of a value is not, and a string doubled in a
    /// loop (<c>append</c>, <c>replace</c>) exhausts memory long before the step limit. Every filter is
    /// wrapped to refuse a string result above the output limit.
    /// </summary>
    private static TemplateOptions LimitedOptions()
    {
        var options = new TemplateOptions { MaxSteps = 100_000, MaxRecursion = 32 };
        options.Filters.AddFilter(JsonFilter.Name, JsonFilter.Apply);
        foreach (var (name, filter) in options.Filters.ToList())
        {
            options.Filters.AddFilter(name, async (input, arguments, context) =>
            {
                var result = await filter(input, arguments, context).ConfigureAwait(false);
                return result is StringValue text && text.ToStringValue().Length > MaxOutputChars
                    ? throw new BoundedWriter.FullException()
                    : result;
            });
        }

        return options;
    }

    /// <exception cref="RenderException">Rendering failed (a filter error, the step limit).</exception>
    public string Render(string objectName, JsonElement? data, IReadOnlyDictionary<string, string> objects)
    {
        var context = new TemplateContext(Options);
        context.SetValue("data", data is { } values ? FromJson(values) : NilValue.Instance);
        context.SetValue("objects", new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            objects.ToDictionary(pair => pair.Key, pair => (FluidValue)new StringValue(pair.Value), StringComparer.Ordinal))));
        using var output = new BoundedWriter(MaxOutputChars);
        try
        {
            _template.RenderAsync(output, context, NullEncoder.Default).AsTask().GetAwaiter().GetResult();
            return output.ToString();
        }
        catch (BoundedWriter.FullException)
        {
            throw new RenderException($"object '{objectName}': the template wrote more than {MaxOutputChars} characters", keyMissing: false);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            // .NET's conversion errors quote their input ("The input string '…' was not in a correct format"), which here
            // is a secret value on its way to the pod's Events: only the kind of failure is told.
            throw new RenderException($"object '{objectName}': the template failed: a value could not be converted ({ex.GetType().Name}; the value is not shown)", keyMissing: false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or ParseException)
        {
            throw new RenderException($"object '{objectName}': the template failed: {ex.Message}", keyMissing: false);
        }
    }

    [GeneratedRegex(@"(['""])(now|today)\1\s*\|\s*date\b", RegexOptions.IgnoreCase)]
    private static partial Regex TheTime();

    private static FluidValue FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new DictionaryValue(new FluidValueDictionaryFluidIndexable(
            value.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => FromJson(g.Last().Value), StringComparer.Ordinal))),
        JsonValueKind.Array => new ArrayValue([.. value.EnumerateArray().Select(FromJson)]),
        JsonValueKind.String => new StringValue(value.GetString()!),
        JsonValueKind.Number when value.TryGetDecimal(out var number) => NumberValue.Create(number),
        JsonValueKind.Number => new StringValue(value.GetRawText()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        _ => NilValue.Instance,
    };

    /// <summary>Collects the output and stops the template once it passes the limit.</summary>
    private sealed class BoundedWriter(int limit) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        private void Check(int more)
        {
            if (GetStringBuilder().Length + more > limit)
            {
                throw new FullException();
            }
        }

        internal sealed class FullException : Exception;
    }
}
