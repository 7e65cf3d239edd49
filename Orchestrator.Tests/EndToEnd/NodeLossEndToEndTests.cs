using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Failover with simulated nodes: a fourth node whose simulator process dies turns NotReady, and the pods it ran
/// are Running on the other nodes well within the 40 s goal (Kubernetes' defaults take 5–6 minutes).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NodeLossEndToEndTests(SimulatedClusterFixture cluster, ITestOutputHelper output) : IClassFixture<SimulatedClusterFixture>
{
    [Fact]
    public async Task LostNode_GoesNotReady_AndItsPodsRunElsewhere()
    {
        var k = cluster.Kubectl;
        var log = new StringBuilder();
        using var doomed = cluster.StartSimulator("doomed-", 1, log);
        await cluster.WaitForOutputAsync(o => o.Contains("doomed-0") && o.Contains(" Ready"), "the fourth node is Ready", "get", "node", "doomed-0");

        // A pod pinned to the doomed node by preference of the scheduler's spread: 8 replicas over 4 nodes.
        (await k.RunAsync("create", "deployment", "spread", "--image=echo-hostname:1.0", "--replicas=8")).Ok();
        await cluster.EventuallyAsync(async () =>
        {
            var pods = await RunningPodsAsync();
            return pods.Count == 8 && pods.Any(p => p.Node == "doomed-0");
        }, "8 running pods, some on doomed-0");

        var lost = Stopwatch.StartNew();
        doomed.Kill();
        await cluster.WaitForOutputAsync(o => o.Contains("NotReady"), "doomed-0 turns NotReady", "get", "node", "doomed-0");
        var notReadyAfter = lost.Elapsed;
        await cluster.EventuallyAsync(async () =>
        {
            var pods = await RunningPodsAsync();
            return pods.Count(p => p.Node != "doomed-0") == 8;
        }, "all 8 replicas run on the remaining nodes", timeoutMs: 60_000);
        var replacedAfter = lost.Elapsed;
        output.WriteLine($"NotReady after {notReadyAfter.TotalSeconds:0.0} s, pods running elsewhere after {replacedAfter.TotalSeconds:0.0} s");
        Assert.True(replacedAfter < TimeSpan.FromSeconds(45), $"failover took {replacedAfter.TotalSeconds:0.0} s");
        (await k.RunAsync("delete", "deployment", "spread")).Ok();
    }

    private async Task<List<(string Name, string Node)>> RunningPodsAsync()
    {
        var list = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "pods", "-l", "app=spread", "-o", "json")).Ok().StdOut)!;
        return list["items"]!.AsArray().OfType<JsonObject>()
            .Where(p => p["status"]?["phase"]?.GetValue<string>() == "Running" && p["metadata"]?["deletionTimestamp"] == null)
            .Select(p => (p["metadata"]!["name"]!.GetValue<string>(), p["spec"]?["nodeName"]?.GetValue<string>() ?? ""))
            .ToList();
    }
}
