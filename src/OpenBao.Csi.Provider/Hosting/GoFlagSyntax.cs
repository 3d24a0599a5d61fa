namespace OpenBao.Csi.Provider.Hosting;

/// <summary>
/// Go's flag syntax, shared by the server's flags and the subcommands': <c>-name=value</c>, <c>-name value</c>,
/// <c>--name…</c>, and bare boolean flags meaning true.
/// </summary>
internal static class GoFlagSyntax
{
    /// <summary>Hands each flag to <paramref name="set"/> in order. Throws <see cref="FlagException"/>.</summary>
    /// <param name="isBool">Whether a flag is boolean; null when no such flag exists.</param>
    /// <returns>False when <c>-h</c>/<c>-help</c> asked for the usage instead.</returns>
    public static bool Read(IReadOnlyList<string> args, Func<string, bool?> isBool, Action<string, string> set)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-help" or "--help" or "--h")
            {
                return false;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                throw new FlagException($"unexpected argument '{arg}': flags start with '-' (see -help)");
            }

            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? body[..equals] : body;
            var boolean = isBool(name) ?? throw new FlagException($"flag provided but not defined: -{name} (see -help)");
            string value;
            if (equals >= 0)
            {
                value = body[(equals + 1)..];
            }
            else if (boolean)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new FlagException($"flag needs an argument: -{name}");
            }

            set(name, value);
        }

        return true;
    }
}
