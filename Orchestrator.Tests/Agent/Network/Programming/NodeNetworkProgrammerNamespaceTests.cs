using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Network.Programming;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>
/// The programmer against a real kernel, inside private network namespaces made per test (<c>ip netns add
/// netprog-…</c>) and deleted at the end: addresses, unreachable routes, pod routes across two "nodes" joined by a
/// veth pair, and the no-masquerade rule seen by a real TCP peer. The host's own namespace is never touched.
/// </summary>
[Trait("Category", "NetworkNamespace")]
public sealed class NodeNetworkProgrammerNamespaceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static NodeNetworkOptions Options() => new() { AddressLabel = "lo:nptest", RuleComment = "netprog-test" };

    private static NodeNetworkProgrammer Create(TestNetworkNamespace ns, NodeNetworkOptions? options = null) =>
        new(ns.Runner, options ?? Options(), NullLogger<NodeNetworkProgrammer>.Instance);

    private static ClusterServices Services(long version, params (string Name, string Ip)[] services) =>
        Snapshots.Build(version, "n1",
            [Snapshots.Service("default", "kubernetes", "10.96.0.1"), .. services.Select(s => Snapshots.Service("ns", s.Name, s.Ip))], []);

    private static async Task<List<string>> OurAddressesAsync(TestNetworkNamespace ns)
    {
        var text = await ns.IpAsync("-o", "-4", "address", "show", "dev", "lo", "label", "lo:nptest");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).Order().ToList();
    }

    [Fact]
    public async Task Addresses_AppearOnLoWithOurLabel_GoWithTheService_ForeignAddressesStay()
    {
        await using var ns = await TestNetworkNamespace.CreateAsync();
        await ns.IpAsync("address", "add", "10.96.0.99/32", "dev", "lo"); // someone else's, unlabelled
        var programmer = Create(ns);

        var first = await programmer.ApplyAsync(Services(1, ("web", "10.96.5.5"), ("db", "10.96.6.6")), full: true, Ct);
        Assert.True(first.Succeeded, string.Join("; ", first.Errors));
        Assert.True(first.AddressesApplied);
        Assert.Equal(["10.96.0.1/32", "10.96.0.10/32", "10.96.5.5/32", "10.96.6.6/32"], await OurAddressesAsync(ns));

        var second = await programmer.ApplyAsync(Services(2, ("web", "10.96.5.5")), full: true, Ct);
        Assert.True(second.Succeeded, string.Join("; ", second.Errors));
        Assert.Equal(["10.96.0.1/32", "10.96.0.10/32", "10.96.5.5/32"], await OurAddressesAsync(ns));
        Assert.Contains("10.96.0.99/32", await ns.IpAsync("-o", "-4", "address", "show", "dev", "lo"));

        // The same snapshot again, and a new programmer (an agent restart) over the state left behind: nothing to do.
        Assert.Equal(0, (await programmer.ApplyAsync(Services(2, ("web", "10.96.5.5")), full: true, Ct)).Commands);
        Assert.Equal(0, (await Create(ns).ApplyAsync(Services(2, ("web", "10.96.5.5")), full: true, Ct)).Commands);
    }

    [Fact]
    public async Task UnreachableRoute_AnUnservedServiceIpFailsAtOnce_AServedOneIsLocal()
    {
        await using var ns = await TestNetworkNamespace.CreateAsync();
        var result = await Create(ns).ApplyAsync(Services(1, ("web", "10.96.5.5")), full: true, Ct);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));

        var unserved = await ns.TryIpAsync("route", "get", "10.96.0.77");
        Assert.False(unserved.Succeeded);
        Assert.Contains("No route to host", unserved.StandardError);
        Assert.Contains("unreachable 10.96.0.0/12", await ns.IpAsync("route", "show", "type", "unreachable"));
        Assert.Contains("unreachable 10.244.0.0/16", await ns.IpAsync("route", "show", "type", "unreachable"));
        Assert.StartsWith("local 10.96.5.5", await ns.IpAsync("route", "get", "10.96.5.5"));

        // A connect to the unserved address is refused by the kernel itself, no SYN sent anywhere.
        var connect = await ns.ExecAsync("bash", "-c", "exec 3<>/dev/tcp/10.96.0.77/80");
        Assert.NotEqual(0, connect.ExitCode);
        Assert.Contains("No route to host", connect.StandardError);
    }

    [Fact]
    public async Task Drift_IsRepaired_AndCleanupRemovesOnlyOurs()
    {
        await using var ns = await TestNetworkNamespace.CreateAsync();
        var programmer = Create(ns);
        await programmer.ApplyAsync(Services(1, ("web", "10.96.5.5")), full: true, Ct);
        await ns.IpAsync("address", "del", "10.96.5.5/32", "dev", "lo");
        await ns.IpAsync("route", "del", "unreachable", "10.96.0.0/12");
        await ns.IpAsync("route", "add", "10.123.0.0/16", "dev", "lo", "proto", "static");

        var repaired = await programmer.ApplyAsync(Services(1, ("web", "10.96.5.5")), full: true, Ct);
        Assert.Equal(2, repaired.Commands);
        Assert.Contains("10.96.5.5/32", await OurAddressesAsync(ns));

        var cleaned = await programmer.CleanupAsync(Ct);
        Assert.True(cleaned.Succeeded, string.Join("; ", cleaned.Errors));
        Assert.Empty(await OurAddressesAsync(ns));
        Assert.Equal("", (await ns.IpAsync("route", "show", "proto", "147")).Trim());
        Assert.Contains("10.123.0.0/16", await ns.IpAsync("route", "show"));
        Assert.Contains("127.0.0.1/8", await ns.IpAsync("-o", "-4", "address", "show", "dev", "lo"));
    }

    [Fact]
    public async Task DummyInterface_UsedWhereTheKernelHasTheModule_OtherwiseAnErrorAndTheRoutesStillProgrammed()
    {
        await using var ns = await TestNetworkNamespace.CreateAsync();
        var options = new NodeNetworkOptions
        {
            Interface = "npsvc", CreateDummyInterface = true, AddressLabel = "npsvc:t", RuleComment = "netprog-test",
        };
        Assert.Empty(options.Validate());

        var result = await Create(ns, options).ApplyAsync(Services(1, ("web", "10.96.5.5")), full: true, Ct);

        var link = await ns.TryIpAsync("-o", "-4", "address", "show", "dev", "npsvc", "label", "npsvc:t");
        if (link.Succeeded)
        {
            Assert.True(result.AddressesApplied);
            Assert.Contains("10.96.5.5/32", link.StandardOutput);
        }
        else
        {
            // This machine's kernel: no dummy module. The failure is reported, not hidden, and retried.
            Assert.False(result.AddressesApplied);
            Assert.Contains(result.Errors, e => e.Contains("type dummy"));
        }
        Assert.Contains("unreachable 10.96.0.0/12", await ns.IpAsync("route", "show", "type", "unreachable"));
    }

    /// <summary>
    /// Two "nodes" A (192.168.231.1, pods 10.244.1.0/24) and B (192.168.231.2, pods 10.244.2.0/24) on one link, each
    /// programmed by its own programmer from the same cluster. A "pod" address on each side talks to the other over
    /// TCP; A carries Docker's masquerade rule for its pod subnet, which without our RETURN hides the pod's address.
    /// </summary>
    [Fact]
    public async Task PodRoutes_ViaTheOtherNode_AndPodToPodTrafficIsNotMasqueraded()
    {
        await using var a = await TestNetworkNamespace.CreateAsync();
        await using var b = await TestNetworkNamespace.CreateAsync();
        await a.ConnectAsync(b, "npa", "192.168.231.1/24", "npb", "192.168.231.2/24");
        await a.IpAsync("address", "add", "10.244.1.5/32", "dev", "lo");
        await b.IpAsync("address", "add", "10.244.2.5/32", "dev", "lo");
        // What dockerd sets up on a node: the masquerade of its pod subnet, and the user chain with its final RETURN.
        await a.IptablesAsync("-t", "nat", "-A", "POSTROUTING", "-s", "10.244.1.0/24", "!", "-o", "orch0", "-j", "MASQUERADE");
        await a.IptablesAsync("-N", "DOCKER-USER");
        await a.IptablesAsync("-A", "DOCKER-USER", "-j", "RETURN");
        await b.IptablesAsync("-N", "DOCKER-USER");

        // Control: with plain routes and Docker's rule, B sees A's node address, not the pod's.
        await a.IpAsync("route", "add", "10.244.2.0/24", "via", "192.168.231.2", "proto", "static");
        await b.IpAsync("route", "add", "10.244.1.0/24", "via", "192.168.231.1", "proto", "static");
        Assert.Equal("192.168.231.1", await PeerSeenByAsync(b, a));
        await a.IpAsync("route", "del", "10.244.2.0/24");
        await b.IpAsync("route", "del", "10.244.1.0/24");

        var nodes = new[]
        {
            Snapshots.Node("n1", "192.168.231.1", "10.244.1.0/24"),
            Snapshots.Node("n2", "192.168.231.2", "10.244.2.0/24"),
            Snapshots.Node("n3", "192.168.99.3", "10.244.3.0/24"), // not on the link: no route
        };
        var onA = await Create(a).ApplyAsync(Snapshots.Build(1, "n1", [], nodes), full: true, Ct);
        var onB = await Create(b).ApplyAsync(Snapshots.Build(1, "n2", [], nodes), full: true, Ct);
        Assert.True(onA.Succeeded, string.Join("; ", onA.Errors));
        Assert.True(onB.Succeeded, string.Join("; ", onB.Errors));

        Assert.Equal("10.244.2.0/24 via 192.168.231.2 dev npa proto 147", (await a.IpAsync("route", "show", "10.244.2.0/24")).Trim());
        Assert.Equal("10.244.1.0/24 via 192.168.231.1 dev npb proto 147", (await b.IpAsync("route", "show", "10.244.1.0/24")).Trim());
        Assert.Contains("No route to host", (await a.TryIpAsync("route", "get", "10.244.3.7")).StandardError);
        Assert.Equal("", (await a.IpAsync("route", "show", "10.244.1.0/24")).Trim()); // never the own podCIDR

        var nat = await a.IptablesAsync("-t", "nat", "-S", "POSTROUTING");
        Assert.Equal(
            [
                "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment netprog-test -j RETURN",
                "-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE",
            ], nat.Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
        var forward = await a.IptablesAsync("-S", "DOCKER-USER");
        Assert.Equal(
            [
                "-A DOCKER-USER -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment netprog-test -j ACCEPT",
                "-A DOCKER-USER -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment netprog-test -j ACCEPT",
                "-A DOCKER-USER -s 192.168.99.3/32 -d 10.244.1.0/24 -m comment --comment netprog-test -j ACCEPT",
                "-A DOCKER-USER -s 192.168.231.2/32 -d 10.244.1.0/24 -m comment --comment netprog-test -j ACCEPT",
                "-A DOCKER-USER -j RETURN",
            ], forward.Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)));

        Assert.Equal("10.244.1.5", await PeerSeenByAsync(b, a));

        // Idempotent, and a cleanup leaves Docker's rules as they were.
        Assert.Equal(0, (await Create(a).ApplyAsync(Snapshots.Build(1, "n1", [], nodes), full: true, Ct)).Commands);
        var cleaned = await Create(a).CleanupAsync(Ct);
        Assert.True(cleaned.Succeeded, string.Join("; ", cleaned.Errors));
        Assert.Equal(["-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE"],
            (await a.IptablesAsync("-t", "nat", "-S", "POSTROUTING")).Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
        Assert.Equal(["-A DOCKER-USER -j RETURN"],
            (await a.IptablesAsync("-S", "DOCKER-USER")).Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)));
        Assert.Equal("", (await a.IpAsync("route", "show", "proto", "147")).Trim());
    }

    private static async Task<string> PeerSeenByAsync(TestNetworkNamespace server, TestNetworkNamespace client) =>
        await TcpProbe.PeerSeenAsync(server, "10.244.2.5", client, "10.244.1.5", attempts: 50) ?? throw new InvalidOperationException("no answer");
}
