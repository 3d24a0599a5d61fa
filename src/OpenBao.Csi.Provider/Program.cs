using OpenBao.Csi.Provider.Hosting;

return await ProviderCommand.RunAsync(args);
