using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Scheduling;
using Orchestrator.Tests.Support;
using Xunit.Abstractions;
using static Orchestrator.Tests.Core.Scheduling.SchedulingObjects;

namespace Orchestrator.Tests.Core.Scheduling;

public class SchedulerScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void Algorithm_ThousandPodsOverFiftyNodes_EvenAndQuick()
    {
        var algorithm = new SchedulingAlgorithm(SchedulerProfile.Default());
        var nodes = Enumerable.Range(0, 50).Select(i => Node($"n{i:00}", cpu: "32", memory: "64Gi")).ToList();
        var pods = new List<System.Text.Json.Nodes.JsonObject>();
        var cache = new PodInfoCache();
        var sw = Stopwatch.StartNew();
        var snapTime = TimeSpan.Zero;
        for (var i = 0; i < 1000; i++)
        {
            var pod = Pod($"rs-{i}", cpu: "100m", memory: "128Mi", ownerUid: "rs");
            var t0 = sw.Elapsed;
            var snapshot = SchedulingAlgorithm.Snapshot(nodes, pods, [], cache);
            snapTime += sw.Elapsed - t0;
            var result = algorithm.Schedule(pod, snapshot);
            pod["spec"]!["nodeName"] = result.Node;
            pods.Add(pod);
        }
        output.WriteLine($"1000 cycles over 50 nodes: {sw.ElapsedMilliseconds} ms (snapshots {snapTime.TotalMilliseconds:0} ms)");
        Assert.All(pods.GroupBy(p => (string)p["spec"]!["nodeName"]!), g => Assert.Equal(20, g.Count()));
    }
}
