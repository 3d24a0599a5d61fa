using System.Globalization;
using OpenBao.Csi.Provider.Demo;

// "--bench [N]" measures mount latency, "--rotation [POLLS]" what rotation polls cost OpenBao,
// "--table [--binary PATH] [--iterations N]" everything the benchmark table shows,
// "--compare A B [N]" two provider builds' mount latency side by side; otherwise one demo mount.
// OpenBaoProcess.ServeArgument is how the benchmarks start their out-of-process OpenBao.
return args switch
{
    ["--bench", ..] => await MountBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000),
    ["--rotation", ..] => await RotationBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30),
    ["--table", .. var options] => await TableBenchmark.RunAsync(Console.Out, TableOptions.Parse(options)),
    ["--compare", .. var builds] => await CompareBenchmark.RunAsync(Console.Out, builds),
    [OpenBaoProcess.ServeArgument] => await OpenBaoProcess.ServeAsync(Console.In, Console.Out),
    _ => await Demo.RunAsync(Console.Out),
};
