using OpenBao.Csi.Provider.Demo;

return await Demo.RunAsync(Console.Out);
