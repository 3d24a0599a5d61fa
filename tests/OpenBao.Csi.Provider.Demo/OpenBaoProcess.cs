using System.Diagnostics;
using System.Globalization;
using Csi.Driver.Emulator;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.Demo;

/// <summary>
/// The demo's OpenBao (the emulator, seeded as <see cref="DemoEnvironment"/> seeds it) in a process of its own,
/// for the latency measurements. A real OpenBao never shares a process with the driver, so a floor whose GET is
/// answered by threads of the measuring process itself (already awake) would understate one OpenBao round trip,
/// while the provider's own GET crosses processes. Driven over stdin, one command per line, one answer each:
/// <c>latency MS</c>, <c>mint [POD POD_UID]</c> (a token of the demo's service account).
/// </summary>
internal sealed class OpenBaoProcess : IAsyncDisposable
{
    public const string ServeArgument = "--serve-openbao";

    private const string Ok = "ok";

    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private OpenBaoProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts this program again in <see cref="ServeArgument"/> mode and waits for the emulator's address.</summary>
    public static async Task<OpenBaoProcess> StartAsync()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the demo's own executable is unknown");
        // Under "dotnet openbao-csi-demo.dll" the process is the dotnet host, which needs the dll named again.
        var start = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(OpenBaoProcess).Assembly.Location, ServeArgument])
            : new ProcessStartInfo(self, [ServeArgument]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}");
        try
        {
            var address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("the OpenBao process exited before it served");
            return new OpenBaoProcess(process, new Uri(address));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: serves the seeded emulator until stdin closes.</summary>
    public static async Task<int> ServeAsync(TextReader commands, TextWriter answers)
    {
        await using var bao = await OpenBaoEmulator.StartAsync();
        DemoEnvironment.Seed(bao);
        BenchmarkSecrets.Seed(bao);
        await answers.WriteLineAsync(bao.Address.ToString());
        await answers.FlushAsync();
        while (await commands.ReadLineAsync() is { } line)
        {
            await answers.WriteLineAsync(Answer(bao, line.Split(' ')));
            await answers.FlushAsync();
        }

        return 0;
    }

    public async Task SetLatencyAsync(TimeSpan latency) =>
        await CallAsync(string.Create(CultureInfo.InvariantCulture, $"latency {latency.TotalMilliseconds}"));

    /// <summary>Logs in to this OpenBao as the demo's service account, for the floor's direct reads.</summary>
    public async Task<DirectOpenBao> DirectAsync() => await DirectOpenBao.LoginAsync(Address, await CallAsync("mint"));

    /// <summary>A pod of the demo's namespace whose SecretProviderClass lists <paramref name="objects"/>, with its token.</summary>
    public async Task<DriverMount> PodMountAsync(string objects)
    {
        var mount = DemoEnvironment.NewPodMount(objects);
        mount.Tokens[DemoEnvironment.Audience] = await CallAsync($"mint {mount.PodName} {mount.PodUid}");
        return mount;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin ends the serving loop.
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _gate.Dispose();
    }

    private static string Answer(OpenBaoEmulator bao, string[] command)
    {
        switch (command)
        {
            case ["latency", var milliseconds]:
                bao.Latency = TimeSpan.FromMilliseconds(double.Parse(milliseconds, CultureInfo.InvariantCulture));
                // Thousands of timed requests need not stay in the emulator's log.
                bao.ClearRequests();
                return Ok;
            case ["mint"]:
                return DemoEnvironment.MintToken(bao);
            case ["mint", var pod, var podUid]:
                return DemoEnvironment.MintToken(bao, pod, podUid);
            default:
                return "error: unknown command " + string.Join(' ', command);
        }
    }

    private async Task<string> CallAsync(string command)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            var answer = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the OpenBao process exited");
            return answer.StartsWith("error:", StringComparison.Ordinal) ? throw new InvalidOperationException(answer) : answer;
        }
        finally
        {
            _gate.Release();
        }
    }
}
