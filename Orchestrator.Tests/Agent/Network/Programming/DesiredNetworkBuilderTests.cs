using System.Net;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

public sealed class DesiredNetworkBuilderTests
{
    private static readonly IReadOnlyList<KernelRoute> Lan =
        [new KernelRoute(Cidr("192.168.77.0/24"), "unicast", null, "eth0", "kernel", "link")];

    private static Ipv4Cidr Cidr(string text) => Ipv4Cidr.TryParse(text, out var c) ? c : throw new FormatException(text);

    [Fact]
    public void Build_EveryClusterIpAndTheDnsIp_OnceAndSorted_NoneForHeadlessOrExternalName()
    {
        var snapshot = Snapshots.Build(1, "n1",
            [
                Snapshots.Service("default", "kubernetes", "10.96.0.1"),
                Snapshots.Service("a", "web", "10.96.12.7"),
                Snapshots.Service("b", "web", "10.96.3.200"),
                Snapshots.Service("b", "dup", "10.96.3.200"),
                Snapshots.Service("a", "headless", "None"),
                Snapshots.Service("a", "ext", null, "ExternalName", "example.org"),
            ], []);

        var desired = DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions(), Lan);

        Assert.Equal(["10.96.0.1", "10.96.0.10", "10.96.3.200", "10.96.12.7"], desired.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Build_UnreachableRoutesForServiceAndClusterCidr_FromTheSettings()
    {
        var snapshot = Snapshots.Build(1, "n1", [], [],
            new Dictionary<string, string> { ["serviceCIDR"] = "10.100.0.0/16", ["clusterCIDR"] = "10.200.0.0/16" });

        var desired = DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions(), Lan);

        Assert.Equal([("10.100.0.0/16", true), ("10.200.0.0/16", true)], desired.Routes.Select(r => (r.Destination.ToString(), r.Unreachable)));
        Assert.Equal("10.100.0.10", desired.Addresses.Single().ToString());
    }

    [Fact]
    public void Build_PodRoutes_ViaOtherNodesOnTheLan_NeverTheOwnNode_SkipsUnconnectedAndIncompleteNodes()
    {
        var snapshot = Snapshots.Build(1, "n1", [],
            [
                Snapshots.Node("n1", "192.168.77.10", "10.244.1.0/24"),
                Snapshots.Node("n2", "192.168.77.11", "10.244.2.0/24"),
                Snapshots.Node("n3", "192.168.77.12", "10.244.3.0/24"),
                Snapshots.Node("far", "172.31.5.5", "10.244.4.0/24"),
                Snapshots.Node("nocidr", "192.168.77.13", null),
                Snapshots.Node("noip", null, "10.244.6.0/24"),
                Snapshots.Node("clash", "192.168.77.14", "10.244.1.0/24"),
            ]);

        var desired = DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions(), Lan);

        var via = desired.Routes.Where(r => !r.Unreachable).Select(r => $"{r.Destination} via {r.Gateway}");
        Assert.Equal(["10.244.2.0/24 via 192.168.77.11", "10.244.3.0/24 via 192.168.77.12"], via);
        Assert.Equal(["clash", "far"], desired.Skipped.Select(s => s.Node));
        Assert.Contains("not on a directly connected subnet", desired.Skipped.Single(s => s.Node == "far").Reason);
    }

    [Fact]
    public void Build_NoMasqueradeAndForwardRules_ForTheLocalPodCidr_AndOtherNodesAddresses()
    {
        var snapshot = Snapshots.Build(1, "n1", [],
            [
                Snapshots.Node("n1", "192.168.77.10", "10.244.1.0/24"),
                Snapshots.Node("n2", "192.168.77.11", "10.244.2.0/24"),
                Snapshots.Node("far", "172.31.5.5", null),
            ]);

        var desired = DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions { RuleComment = "t-1" }, Lan);

        Assert.Equal(
            [
                "-t nat -A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t-1 -j RETURN",
                "-t filter -A DOCKER-USER -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment t-1 -j ACCEPT",
                "-t filter -A DOCKER-USER -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t-1 -j ACCEPT",
                "-t filter -A DOCKER-USER -s 172.31.5.5/32 -d 10.244.1.0/24 -m comment --comment t-1 -j ACCEPT",
                "-t filter -A DOCKER-USER -s 192.168.77.11/32 -d 10.244.1.0/24 -m comment --comment t-1 -j ACCEPT",
            ], desired.Rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Build_WithoutTheLocalPodCidr_NoRules_AndWithPodRoutesOff_OnlyTheServiceCidr()
    {
        var snapshot = Snapshots.Build(1, "n1", [], [Snapshots.Node("n2", "192.168.77.11", "10.244.2.0/24")]);

        Assert.Empty(DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions(), Lan).Rules);
        var off = DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions { PodRoutes = false }, Lan);
        Assert.Equal(["10.96.0.0/12"], off.Routes.Select(r => r.Destination.ToString()));
        Assert.Empty(off.Rules);
    }

    [Fact]
    public void Build_IgnoresIpv6AndLoopbackClusterIps()
    {
        var snapshot = Snapshots.Build(1, "n1", [Snapshots.Service("a", "v6", "fd00::5"), Snapshots.Service("a", "lo", "127.0.0.9")], []);

        Assert.Equal([IPAddress.Parse("10.96.0.10")], DesiredNetworkBuilder.Build(snapshot, new NodeNetworkOptions(), Lan).Addresses);
    }
}
