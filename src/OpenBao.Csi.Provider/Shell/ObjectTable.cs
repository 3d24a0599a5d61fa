using System.Globalization;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>The objects of a mount as aligned columns: <c>OBJECT  MODE  SIZE  VERSION</c>.</summary>
internal static class ObjectTable
{
    public static void Write(TextWriter output, IReadOnlyList<MountedObject> objects)
    {
        string[][] rows =
        [
            ["OBJECT", "MODE", "SIZE", "VERSION"],
            .. objects.Select(o => new[] { o.Id, o.ModeText, o.Size?.ToString(CultureInfo.InvariantCulture) ?? "-", o.Version ?? "-" }),
        ];
        var widths = Enumerable.Range(0, 3).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine($"{row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}");
        }
    }
}
