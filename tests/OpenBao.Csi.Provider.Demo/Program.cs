using OpenBao.Csi.Provider.Demo;

// "--bench [N]" measures mount latency instead of showing one mount.
return args is ["--bench", ..]
    ? await MountBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000)
    : await Demo.RunAsync(Console.Out);
