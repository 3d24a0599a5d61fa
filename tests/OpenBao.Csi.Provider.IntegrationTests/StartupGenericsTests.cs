using System.Collections.Concurrent;
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
        Assert.NotEmpty(constructed);
        var missing = constructed.Where(name => !listed.Contains(name)).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            missing.Count == 0,
            $"{RdXml} misses generic types the host constructs; add under each <Assembly>:\n" + string.Join('\n', missing.Select(RdXmlLine)));
    }

    [Fact]
    public void RdXml_EveryListedTypeExists()
    {
        Assert.NotEmpty(ListedTypes());
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

    /// <summary>The rd.xml line for a type named as <see cref="Type.ToString"/> prints it, with the assembly it goes under.</summary>
    private static string RdXmlLine(string name)
    {
        var type = Resolve(name);
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

    /// <summary>Reads "A`1[B,C`1[D]]" and "A[]" (how <see cref="Type.ToString"/> prints) among the loaded assemblies.</summary>
    private static Type Parse(string name, ref int position)
    {
        var start = position;
        while (position < name.Length && name[position] is not ('[' or ',' or ']'))
        {
            position++;
        }

        var definitionName = name[start..position];
        var definition = AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(definitionName)).First(type => type is not null)!;
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
    /// Dependency injection's own EventSource reports every call site it builds (chunked when long), tagged with
    /// the service provider, so hosts that other tests build at the same time are told apart.
    /// </summary>
    private sealed partial class CallSiteListener : EventListener
    {
        private readonly ConcurrentQueue<(int Provider, string Json)> _callSites = new();
        private int? _kept;

        public void Keep(int serviceProvider) => _kept = serviceProvider;

        /// <summary>Closed generic implementation types, and the arrays behind <c>IEnumerable&lt;T&gt;</c> services.</summary>
        public HashSet<string> ConstructedTypes()
        {
            var json = string.Concat(_callSites.Where(site => site.Provider == _kept).Select(site => site.Json));
            var constructed = ImplementationType().Matches(json).Select(match => match.Groups[1].Value)
                .Where(name => name.Contains('`', StringComparison.Ordinal) && !OpenParameter().IsMatch(name))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var element in EnumerableServiceType().Matches(json).Select(match => match.Groups[1].Value))
            {
                constructed.Add(element + "[]");
            }

            return constructed;
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
            if (eventData is { EventName: "CallSiteBuilt", Payload: { } payload, PayloadNames: { } names })
            {
                object? Field(string field) => payload[names.IndexOf(field)];
                // A long call site comes in consecutive chunks, which concatenate back into its JSON.
                _callSites.Enqueue(((int)Field("serviceProviderHashCode")!, (string)Field("callSite")!));
            }
        }

        [GeneratedRegex("\"implementationType\": \"([^\"]+)\"")]
        private static partial Regex ImplementationType();

        [GeneratedRegex("\"serviceType\": \"System\\.Collections\\.Generic\\.IEnumerable`1\\[(.+?)\\]\"")]
        private static partial Regex EnumerableServiceType();

        /// <summary>Open generic registrations print their type parameters ("Logger`1[T]"); only closed types are constructed.</summary>
        [GeneratedRegex(@"\[(T|T[A-Z]\w*)\]")]
        private static partial Regex OpenParameter();
    }
}
