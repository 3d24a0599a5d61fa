using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Csi.Driver.Emulator;
using OpenBao.Csi.Provider.IntegrationTests.Infrastructure;
using OpenBao.Csi.Provider.IntegrationTests.KubernetesApi;
using OpenBao.Csi.Provider.V1Alpha1;
using OpenBao.Emulator;

namespace OpenBao.Csi.Provider.IntegrationTests;

/// <summary>
/// Dependency injection constructs generic types (<c>Logger&lt;T&gt;</c>, <c>OptionsFactory&lt;T&gt;</c>, arrays
/// for <c>IEnumerable&lt;T&gt;</c>) that the NativeAOT compiler cannot see in the code, so the binary would
/// build each at run time through its type loader: a third of the start-up. The provider's rd.xml
/// has the compiler build them ahead. This test lists what the host really constructs, configured as in a
/// cluster, from start to a first mount, and fails on any type the file misses, printing the lines to add.
/// </summary>
public sealed partial class StartupGenericsTests
{
    private static readonly string RdXml = Path.Combine(AppContext.BaseDirectory, "StartupGenerics.rd.xml");

    [Fact]
    public async Task RdXml_ListsEveryGenericTypeTheHostConstructs()
    {
        using var listener = new CallSiteListener();
        var logs = new CapturedLogs();
        await using var bao = await OpenBaoEmulator.StartAsync();
        ProviderFixture.SeedShopPassword(bao, "startup-generics");
        await using var cluster = await FakeCluster.StartAsync();
        // As in a cluster: the version key in a Secret, Events on pods, and the node's pods watched.
        await using (var provider = await ProviderProcess.StartAsync(logs, options =>
        {
            options.OpenBaoAddress = bao.Address;
            options.Kubeconfig = cluster.Kubeconfig;
            options.Environment = name => name == "POD_NAMESPACE" ? "csi" : null;
            options.NodeName = "node-1";
        }))
        {
            var mount = new DriverMount().WithParameter("roleName", ProviderFixture.ShopRole).WithParameter("objects", ProviderFixture.PasswordObject);
            mount.Tokens["openbao"] = bao.Issuer.Mint("shop", "app", ["openbao"], TimeSpan.FromMinutes(10));
            await provider.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
            Assert.Single((await provider.Client.MountAsync(mount.ToRequest())).Files);
            listener.Keep(RuntimeHelpers.GetHashCode(provider.Services));
        }

        var listed = ListedTypes().Select(type => type.ToString()).ToHashSet(StringComparer.Ordinal);
        var constructed = listener.ConstructedTypes();
        var missing = constructed.Except(listed).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            missing.Count == 0,
            $"{RdXml} misses generic types the host constructs; add under each <Assembly>:\n" + string.Join('\n', missing.Select(name => RdXmlLine(Resolve(name)))));
        // Each entry roots a whole type in the binary: one the host no longer constructs is only weight.
        var unused = listed.Except(constructed).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, $"{RdXml} lists types the host no longer constructs; remove:\n" + string.Join('\n', unused));
    }

    /// <summary>
    /// Every entry resolves, to the type its printed name stands for: some names exist twice (ASP.NET Core's
    /// Components has its own internal RouteOptions), and an entry naming the wrong assembly would have the
    /// compiler build a type nobody uses while the one in use is still built at run time.
    /// </summary>
    [Fact]
    public void RdXml_EveryListedTypeIsTheOneItsNameStandsFor()
    {
        var listed = ListedTypes();
        Assert.NotEmpty(listed);
        var wrong = listed
            .Select(type => (Listed: type, InUse: Resolve(type.ToString())))
            .Where(pair => pair.Listed != pair.InUse)
            .Select(pair => $"{RdName(pair.Listed)}, instead:\n{RdXmlLine(pair.InUse)}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{RdXml} names types from assemblies other than the ones in use:\n" + string.Join('\n', wrong));
    }

    /// <summary>Every type rd.xml names, resolved; a renamed or removed type fails here instead of silently in the compiler.</summary>
    private static List<Type> ListedTypes()
    {
        var ns = XNamespace.Get("http://schemas.microsoft.com/netfx/2013/01/metadata");
        return XDocument.Load(RdXml).Descendants(ns + "Assembly")
            .SelectMany(assembly => assembly.Elements(ns + "Type").Select(type => $"{type.Attribute("Name")!.Value}, {assembly.Attribute("Name")!.Value}"))
            .Select(name => Type.GetType(name) ?? throw new InvalidOperationException($"{RdXml} names {name}, which does not resolve"))
            .ToList();
    }

    /// <summary>The rd.xml line for a type, with the assembly it goes under.</summary>
    private static string RdXmlLine(Type type)
    {
        var owner = type.IsArray ? type.GetElementType()! : type;
        var assembly = (owner.IsGenericType ? owner.GetGenericTypeDefinition() : owner).Assembly.GetName().Name;
        return $"  {assembly}: <Type Name=\"{RdName(type)}\" Dynamic=\"Required All\" />";
    }

    private static string RdName(Type type) => type switch
    {
        { IsArray: true } => RdName(type.GetElementType()!) + "[]",
        { IsGenericType: true } => type.GetGenericTypeDefinition().FullName + "["
            + string.Join(",", type.GetGenericArguments().Select(argument => $"[{RdName(argument)},{argument.Assembly.GetName().Name}]")) + "]",
        _ => type.FullName!,
    };

    private static Type Resolve(string name)
    {
        var position = 0;
        return Parse(name, ref position);
    }

    /// <summary>The loaded type of that full name; where two assemblies define it, the public one, which is what other assemblies use.</summary>
    private static Type Define(string fullName)
    {
        var candidates = AppDomain.CurrentDomain.GetAssemblies()
            .Select(assembly => assembly.GetType(fullName))
            .OfType<Type>()
            .Distinct()
            .ToList();
        var chosen = candidates.Count > 1 ? candidates.Where(type => type.IsVisible).ToList() : candidates;
        return chosen.Count == 1
            ? chosen[0]
            : throw new InvalidOperationException($"{fullName} is defined {candidates.Count} times among the loaded assemblies ({chosen.Count} public)");
    }

    /// <summary>Reads "A`1[B,C`1[D]]" and "A[]" (how <see cref="Type.ToString"/> prints) among the loaded assemblies.</summary>
    private static Type Parse(string name, ref int position)
    {
        var start = position;
        while (position < name.Length && name[position] is not ('[' or ',' or ']'))
        {
            position++;
        }

        var definition = Define(name[start..position]);
        var type = definition;
        if (definition.IsGenericTypeDefinition && name[position] == '[')
        {
            position++;
            var arguments = new List<Type>();
            do
            {
                arguments.Add(Parse(name, ref position));
            }
            while (name[position++] == ',');
            type = definition.MakeGenericType([.. arguments]);
        }

        while (position + 1 < name.Length && name[position] == '[' && name[position + 1] == ']')
        {
            type = type.MakeArrayType();
            position += 2;
        }

        return type;
    }

    /// <summary>
    /// Dependency injection's own EventSource reports every call site it builds, tagged with the service
    /// provider, so hosts that other tests build at the same time are told apart. A long call site comes in
    /// consecutive chunks on the thread that built it; chunks are joined per thread, since two threads of
    /// one host may build call sites at once.
    /// </summary>
    private sealed partial class CallSiteListener : EventListener
    {
        private readonly Lock _gate = new();
        private readonly List<(int Provider, string Json)> _callSites = [];
        private readonly Dictionary<long, (int Provider, System.Text.StringBuilder Json)> _partial = [];
        private int? _kept;

        public void Keep(int serviceProvider) => _kept = serviceProvider;

        /// <summary>Closed generic implementation types, and the arrays behind <c>IEnumerable&lt;T&gt;</c> services.</summary>
        public HashSet<string> ConstructedTypes()
        {
            List<string> callSites;
            lock (_gate)
            {
                callSites = [.. _callSites.Where(site => site.Provider == _kept).Select(site => site.Json)];
            }

            var implementations = callSites.SelectMany(json => ImplementationType().Matches(json)).Select(match => match.Groups[1].Value).ToList();
            var enumerables = callSites.SelectMany(json => EnumerableServiceType().Matches(json)).Select(match => match.Groups[1].Value + "[]").ToList();
            // Both kinds exist in any host: none found means the event's format changed, not that there is nothing to list.
            Assert.NotEmpty(implementations);
            Assert.NotEmpty(enumerables);
            return [.. implementations.Where(name => name.Contains('`', StringComparison.Ordinal)).Concat(enumerables)];
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Extensions-DependencyInjection")
            {
                EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData is not { EventName: "CallSiteBuilt", Payload: { } payload, PayloadNames: { } names })
            {
                return;
            }

            object? Field(string field) => payload[names.IndexOf(field)];
            var (provider, chunk, chunks, text) = ((int)Field("serviceProviderHashCode")!, (int)Field("chunkIndex")!, (int)Field("chunkCount")!, (string)Field("callSite")!);
            lock (_gate)
            {
                if (chunk == 0)
                {
                    _partial[eventData.OSThreadId] = (provider, new System.Text.StringBuilder());
                }

                var (owner, json) = _partial[eventData.OSThreadId];
                json.Append(text);
                if (chunk == chunks - 1)
                {
                    _partial.Remove(eventData.OSThreadId);
                    _callSites.Add((owner, json.ToString()));
                }
            }
        }

        [GeneratedRegex("\"implementationType\": \"([^\"]+)\"")]
        private static partial Regex ImplementationType();

        [GeneratedRegex("\"serviceType\": \"System\\.Collections\\.Generic\\.IEnumerable`1\\[(.+?)\\]\"")]
        private static partial Regex EnumerableServiceType();
    }
}
