using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Proxy.Balancing;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Proxy.Balancing;

public sealed class ServicePortBalancerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void RoundRobin_CyclesThroughEveryEndpointInTurn()
    {
        var b = BalancerTestData.Balancer(BalancerTestData.Table(4), _time);
        var picks = Enumerable.Range(0, 12).Select(_ => b.Pick(IPAddress.Loopback)!.EndPoint.ToString()).ToList();

        Assert.Equal(4, picks.Take(4).Distinct().Count());
        Assert.Equal(picks.Take(4), picks.Skip(4).Take(4));
        Assert.Equal(picks.Take(4), picks.Skip(8));
    }

    [Fact]
    public void Build_ShufflesTheEndpointOrder()
    {
        var (svc, port) = BalancerTestData.Service(8);
        var orders = Enumerable.Range(0, 10)
            .Select(seed => string.Join(",", BackendTable.Build(svc, port, "node-a", null, new Random(seed)).All.Select(x => x.EndPoint)))
            .ToHashSet();
        Assert.True(orders.Count > 1, "ten seeds gave one order");
    }

    [Fact]
    public void Random_ReachesEveryEndpoint()
    {
        var b = BalancerTestData.Balancer(BalancerTestData.Table(3, Annotate("random")), _time);
        var seen = Enumerable.Range(0, 300).Select(_ => b.Pick(IPAddress.Loopback)!.EndPoint).ToHashSet();
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void LeastConnections_PicksTheEndpointWithFewestOpenConnections()
    {
        var table = BalancerTestData.Table(3, Annotate("least-connections"));
        var b = BalancerTestData.Balancer(table, _time);
        table.All[0].Health.ConnectionOpened();
        table.All[0].Health.ConnectionOpened();
        table.All[1].Health.ConnectionOpened();

        Assert.Same(table.All[2], b.Pick(IPAddress.Loopback));
        table.All[2].Health.ConnectionOpened();
        table.All[2].Health.ConnectionOpened();
        Assert.Same(table.All[1], b.Pick(IPAddress.Loopback));
    }

    [Fact]
    public void SourceHash_SameClientSameEndpoint_ClientsSpread_AndSurvivesReorder()
    {
        var (svc, port) = BalancerTestData.Service(4, Annotate("source-hash"));
        var b1 = BalancerTestData.Balancer(BackendTable.Build(svc, port, "node-a", null, new Random(1)), _time);
        var b2 = BalancerTestData.Balancer(BackendTable.Build(svc, port, "node-a", null, new Random(2)), _time);

        var spread = new HashSet<IPEndPoint>();
        for (var i = 0; i < 200; i++)
        {
            var client = BalancerTestData.Client(i);
            var first = b1.Pick(client)!.EndPoint;
            Assert.Equal(first, b1.Pick(client)!.EndPoint);
            Assert.Equal(first, b2.Pick(client)!.EndPoint);
            spread.Add(first);
        }
        Assert.Equal(4, spread.Count);
    }

    [Fact]
    public void SourceHash_RemovingAnEndpoint_MovesOnlyItsClients()
    {
        var table4 = BalancerTestData.Table(4, Annotate("source-hash"));
        var table3 = BalancerTestData.Table(3, Annotate("source-hash"));
        var b4 = BalancerTestData.Balancer(table4, _time);
        var b3 = BalancerTestData.Balancer(table3, _time);
        var removed = table4.All.Single(x => !table3.All.Any(y => y.EndPoint.Equals(x.EndPoint))).EndPoint;
        for (var i = 0; i < 200; i++)
        {
            var before = b4.Pick(BalancerTestData.Client(i))!.EndPoint;
            if (!before.Equals(removed)) Assert.Equal(before, b3.Pick(BalancerTestData.Client(i))!.EndPoint);
        }
    }

    [Fact]
    public void ClientIpAffinity_PinsUntilTheTimeout()
    {
        var b = BalancerTestData.Balancer(BalancerTestData.Table(3, Affinity(60)), _time);
        var client = IPAddress.Parse("192.168.1.7");
        var pinned = b.Pick(client)!;
        for (var i = 0; i < 5; i++)
        {
            b.Pick(IPAddress.Parse("192.168.1.8")); // other clients move the round robin on
            Assert.Same(pinned, b.Pick(client));
        }
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(pinned, b.Pick(client));
        // 61 s idle: the pin has expired (and is swept), so the algorithm decides again.
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(b.Affinity.Lookup(client, _time.GetUtcNow().UtcTicks, TimeSpan.FromSeconds(60)));
        Assert.Equal(0, b.Affinity.Count);
    }

    [Fact]
    public void ClientIpAffinity_FailedConnectReleasesThePin()
    {
        var b = BalancerTestData.Balancer(BalancerTestData.Table(3, Affinity(3600)), _time);
        var client = IPAddress.Parse("192.168.1.7");
        var pinned = b.Pick(client)!;
        b.Failed(pinned, client);
        var tried = new TriedBackends();
        tried.Add(pinned);
        var retry = b.Pick(b.Table, false, client, ref tried);
        Assert.NotSame(pinned, retry);
        Assert.Same(retry, b.Pick(client));
    }

    [Fact]
    public void Pick_SkipsEndpointsAlreadyTried_AndReturnsNullWhenAllTried()
    {
        var b = BalancerTestData.Balancer(BalancerTestData.Table(2), _time);
        var tried = new TriedBackends();
        var first = b.Pick(b.Table, false, IPAddress.Loopback, ref tried)!;
        tried.Add(first);
        var second = b.Pick(b.Table, false, IPAddress.Loopback, ref tried)!;
        tried.Add(second);
        Assert.NotSame(first, second);
        Assert.Null(b.Pick(b.Table, false, IPAddress.Loopback, ref tried));
    }

    [Fact]
    public void ThreeFailedConnects_EjectForTenSeconds_ThenDoubling()
    {
        var table = BalancerTestData.Table(2);
        var b = BalancerTestData.Balancer(table, _time);
        var bad = table.All[0];
        var good = table.All[1];

        Assert.False(b.Failed(bad, IPAddress.Loopback));
        Assert.False(b.Failed(bad, IPAddress.Loopback));
        Assert.True(b.Failed(bad, IPAddress.Loopback));
        for (var i = 0; i < 6; i++) Assert.Same(good, b.Pick(IPAddress.Loopback));

        _time.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Contains(bad, Enumerable.Range(0, 2).Select(_ => b.Pick(IPAddress.Loopback)));

        // Failing again right away: ejected for 20 s this time.
        for (var i = 0; i < 3; i++) b.Failed(bad, IPAddress.Loopback);
        _time.Advance(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 4; i++) Assert.Same(good, b.Pick(IPAddress.Loopback));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Contains(bad, Enumerable.Range(0, 2).Select(_ => b.Pick(IPAddress.Loopback)));
    }

    [Fact]
    public void SuccessfulConnect_ResetsTheFailureCount()
    {
        var table = BalancerTestData.Table(2);
        var b = BalancerTestData.Balancer(table, _time);
        var flaky = table.All[0];
        b.Failed(flaky, IPAddress.Loopback);
        b.Failed(flaky, IPAddress.Loopback);
        b.Succeeded(flaky);
        Assert.False(b.Failed(flaky, IPAddress.Loopback));
        Assert.False(flaky.Health.IsEjected(_time.GetUtcNow().UtcTicks));
    }

    [Fact]
    public void EveryEndpointEjected_StillPicksOne()
    {
        var table = BalancerTestData.Table(2);
        var b = BalancerTestData.Balancer(table, _time);
        foreach (var x in table.All)
            for (var i = 0; i < 3; i++) b.Failed(x, IPAddress.Loopback);
        Assert.NotNull(b.Pick(IPAddress.Loopback));
    }

    [Fact]
    public void Update_SameEndpoints_KeepsTheTable_ChangedEndpoints_SwapAndKeepHealth()
    {
        var (svc, port) = BalancerTestData.Service(3);
        var b = BalancerTestData.Balancer(BackendTable.Build(svc, port, "node-a", null, new Random(1)), _time);
        var first = b.Table;
        first.All[0].Health.ConnectionOpened();

        Assert.False(b.Update(BackendTable.Build(svc, port, "node-a", first, new Random(2))));
        Assert.Same(first, b.Table);

        var (bigger, port4) = BalancerTestData.Service(4);
        Assert.True(b.Update(BackendTable.Build(bigger, port4, "node-a", first, new Random(3))));
        Assert.Equal(4, b.Table.All.Length);
        Assert.Same(first.All[0].Health, b.Table.All.Single(x => x.EndPoint.Equals(first.All[0].EndPoint)).Health);
    }

    [Fact]
    public void LocalOnly_PicksOnlyThisNodesEndpoints_WithItsOwnRotation()
    {
        var table = BalancerTestData.Table(4, edit: null, node: i => i % 2 == 0 ? "node-a" : "node-b");
        var b = BalancerTestData.Balancer(table, _time);
        Assert.Equal(2, table.Local.Length);
        var local = new HashSet<IPEndPoint>();
        var all = new HashSet<IPEndPoint>();
        for (var i = 0; i < 8; i++)
        {
            local.Add(b.Pick(IPAddress.Loopback, localOnly: true)!.EndPoint);
            all.Add(b.Pick(IPAddress.Loopback)!.EndPoint);
        }
        Assert.Equal(table.Local.Select(x => x.EndPoint).ToHashSet(), local);
        Assert.Equal(4, all.Count);
    }

    [Theory]
    [InlineData(null, LoadBalancingAlgorithm.RoundRobin)]
    [InlineData("round-robin", LoadBalancingAlgorithm.RoundRobin)]
    [InlineData("random", LoadBalancingAlgorithm.Random)]
    [InlineData("least-connections", LoadBalancingAlgorithm.LeastConnections)]
    [InlineData("source-hash", LoadBalancingAlgorithm.SourceHash)]
    [InlineData("Least-Connections ", LoadBalancingAlgorithm.LeastConnections)]
    [InlineData("bogus", LoadBalancingAlgorithm.RoundRobin)]
    public void Annotation_ChoosesTheAlgorithm(string? value, LoadBalancingAlgorithm expected) =>
        Assert.Equal(expected, LoadBalancingAlgorithms.Parse(value));

    [Fact]
    public void Table_NotReadyEndpointsAreLeftOut()
    {
        var svc = ServiceSnapshots.ServiceJson("svc", IPAddress.Parse("10.96.0.20"), 80);
        var snapshots = new ServiceSnapshots().Add(svc,
            new ServiceSnapshots.Endpoint(new IPEndPoint(IPAddress.Parse("10.244.0.1"), 8080)),
            new ServiceSnapshots.Endpoint(new IPEndPoint(IPAddress.Parse("10.244.0.2"), 8080), Ready: false));
        var entry = snapshots.Build().Services["default/svc"];
        var table = BackendTable.Build(entry, entry.Ports[0], "node-a", null, new Random(1));
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.244.0.1"), 8080)], table.All.Select(x => x.EndPoint));
    }

    [Fact]
    public void Table_SourceRangesApplyToLoadBalancerIngressAndNodePortsOnly()
    {
        var table = BalancerTestData.Table(1, svc =>
        {
            svc["spec"]!["type"] = "LoadBalancer";
            svc["spec"]!["loadBalancerSourceRanges"] = new JsonArray("192.168.1.0/24");
        });
        var inside = IPAddress.Parse("192.168.1.9");
        var outside = IPAddress.Parse("192.168.2.9");
        Assert.True(table.Admits(ListenerKind.LoadBalancerIngress, inside));
        Assert.False(table.Admits(ListenerKind.LoadBalancerIngress, outside));
        Assert.False(table.Admits(ListenerKind.NodePort, outside));
        Assert.True(table.Admits(ListenerKind.ClusterIp, outside));
    }

    private static Action<JsonObject> Annotate(string algorithm) =>
        svc => svc["metadata"]!["annotations"]![LoadBalancingAlgorithms.AnnotationName] = algorithm;

    private static Action<JsonObject> Affinity(int seconds) => svc =>
    {
        svc["spec"]!["sessionAffinity"] = "ClientIP";
        svc["spec"]!["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = seconds } };
    };
}
