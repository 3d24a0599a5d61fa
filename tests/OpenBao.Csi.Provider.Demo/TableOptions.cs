using System.Globalization;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>The <c>--table</c> command's arguments: <c>[--binary PATH] [--iterations N]</c>.</summary>
internal sealed record TableOptions(string? Binary, int Iterations)
{
    public const int DefaultIterations = 500;

    public static TableOptions Parse(IReadOnlyList<string> args)
    {
        string? binary = null;
        var iterations = DefaultIterations;
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--binary":
                    binary = Path.GetFullPath(value);
                    if (!File.Exists(binary))
                    {
                        throw new ArgumentException($"--binary: {binary} does not exist");
                    }

                    break;
                case "--iterations" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    iterations = n;
                    break;
                default:
                    throw new ArgumentException($"unknown or invalid argument {args[i]} {value}; usage: --table [--binary PATH] [--iterations N]");
            }
        }

        return new TableOptions(binary, iterations);
    }
}
