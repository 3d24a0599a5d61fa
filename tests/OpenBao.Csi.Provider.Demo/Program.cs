using System.Globalization;
using OpenBao.Csi.Provider.Demo;

// "--bench [N]" measures mount latency, "--rotation [POLLS]" what rotation polls cost OpenBao; otherwise one demo mount.
return args switch
{
    ["--bench", ..] => await MountBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000),
    ["--rotation", ..] => await RotationBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30),
    _ => await Demo.RunAsync(Console.Out),
};
