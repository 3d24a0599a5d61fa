namespace OpenBao.Csi.Provider.Demo;

/// <summary>Notes above one table of measurement, value and detail, written as aligned text or as Markdown.</summary>
internal sealed class ResultTable
{
    private static readonly string[] Headers = ["Measurement", "Value", "Detail"];

    private readonly List<(string Label, string Text)> _notes = [];
    private readonly List<string[]> _rows = [];

    public void Note(string label, string text) => _notes.Add((label, text));

    public void Row(string measurement, string value, string detail = "") => _rows.Add([measurement, value, detail]);

    public void WriteText(TextWriter output)
    {
        var labelWidth = _notes.Max(note => note.Label.Length) + 1;
        foreach (var (label, text) in _notes)
        {
            output.WriteLine($"{(label + ":").PadRight(labelWidth)} {text}");
        }

        output.WriteLine();
        var widths = Enumerable.Range(0, Headers.Length).Select(c => _rows.Append(Headers).Max(row => row[c].Length)).ToArray();
        // Values are right-aligned so their digits line up; the detail column runs free.
        string Line(string[] cells) => $"{cells[0].PadRight(widths[0])}  {cells[1].PadLeft(widths[1])}  {cells[2]}".TrimEnd();
        output.WriteLine(Line(Headers));
        output.WriteLine(new string('-', widths.Sum() + 4));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row));
        }
    }

    public void WriteMarkdown(TextWriter output)
    {
        foreach (var (label, text) in _notes)
        {
            output.WriteLine($"- **{label}**: {Escape(text)}");
        }

        output.WriteLine();
        output.WriteLine($"| {string.Join(" | ", Headers)} |");
        output.WriteLine("|---|--:|---|");
        foreach (var row in _rows)
        {
            output.WriteLine($"| {string.Join(" | ", row.Select(Escape))} |");
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
