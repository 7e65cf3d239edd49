using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Network.Programming;
using Orchestrator.Agent.Services;

using Orchestrator.Tests.Agent.Services;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>The hosted service over a published snapshot stream, programming a private network namespace.</summary>
[Trait("Category", "NetworkNamespace")]
public sealed class NodeNetworkServiceNamespaceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static ClusterServices Snapshot(long version, params string[] ips) =>
        Snapshots.Build(version, "n1",
            ips.Select((ip, i) =>
            {
                var svc = Snapshots.Service("ns", $"s{i}", ip);
                svc["metadata"]!["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
                return svc;
            }), []);

    private static async Task WaitForAsync(NodeNetworkService service, long version)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (service.AppliedVersion < version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"version {version} not applied (at {service.AppliedVersion})");
            await Task.Delay(20);
        }
    }

    private static async Task<string> OursAsync(TestNetworkNamespace ns) =>
        await ns.IpAsync("-o", "-4", "address", "show", "dev", "lo", "label", "lo:nptest");

    [Fact]
    public async Task Service_AppliesEachChange_CoalescesABurst_ReportsLatency_AndCleansUpOnStop()
    {
        await using var ns = await TestNetworkNamespace.CreateAsync();
        var view = new FakeServiceView();
        var latency = new NetworkProgrammingLatency(TimeProvider.System);
        var runner = new CountingCommandRunner(ns.Runner);
        var options = new NodeNetworkOptions
        {
            AddressLabel = "lo:nptest",
            RuleComment = "netprog-test",
            CleanupOnExit = true,
            MinSyncInterval = TimeSpan.FromMilliseconds(20),
        };
        var programmer = new NodeNetworkProgrammer(runner, options, NullLogger<NodeNetworkProgrammer>.Instance);
        using var service = new NodeNetworkService(view, programmer, latency, TimeProvider.System, NullLogger<NodeNetworkService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(100);
            Assert.Equal(0, runner.Batches); // nothing before the view has synced

            view.Publish(Snapshot(1, "10.96.5.5"));
            await WaitForAsync(service, 1);
            Assert.Contains("10.96.5.5/32", await OursAsync(ns));
            Assert.Equal(1, latency.Histogram.Count);

            var waiting = service.WaitForAppliedAsync(2, CancellationToken.None);
            Assert.False(waiting.IsCompleted);
            view.Publish(Snapshot(2, "10.96.6.6"));
            await waiting.WaitAsync(Patience);
            Assert.True(service.AppliedVersion >= 2);
            var two = await OursAsync(ns);
            Assert.Contains("10.96.6.6/32", two);
            Assert.DoesNotContain("10.96.5.5/32", two);

            // A burst of 100 snapshots, each adding one service: a few applications, the last one complete.
            // The snapshots are built first, so that publishing them takes microseconds, not the building's time.
            var burst = Enumerable.Range(3, 100).Select(v => Snapshot(v, Enumerable.Range(0, v - 2).Select(i => $"10.96.7.{i + 1}").ToArray())).ToList();
            var before = runner.Batches;
            foreach (var snapshot in burst) view.Publish(snapshot);
            await WaitForAsync(service, 102);
            Assert.InRange(runner.Batches - before, 1, 10);
            Assert.Contains("10.96.7.100/32", await OursAsync(ns));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
        Assert.Equal("", (await OursAsync(ns)).Trim());
        Assert.Equal("", (await ns.IpAsync("route", "show", "proto", "147")).Trim());
    }
}
