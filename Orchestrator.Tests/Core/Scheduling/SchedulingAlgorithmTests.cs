using Orchestrator.Core.Scheduling;
using static Orchestrator.Tests.Core.Scheduling.SchedulingObjects;

namespace Orchestrator.Tests.Core.Scheduling;

public class SchedulingAlgorithmTests
{
    private static readonly SchedulingAlgorithm Algorithm = new(SchedulerProfile.Default());

    [Fact]
    public void Schedule_NothingFits_MessageCountsReasonsPerNode()
    {
        var nodes = SchedulingAlgorithm.Snapshot(
            [
                Node("a", cpu: "1", labels: """{"disk":"ssd"}"""),
                Node("b", cpu: "1", labels: """{"disk":"ssd"}"""),
                Node("c", cpu: "8"),
            ],
            [], []);
        var result = Algorithm.Schedule(Pod("p", cpu: "2", spec: """{"nodeSelector":{"disk":"ssd"}}"""), nodes);
        Assert.False(result.Scheduled);
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption is not supported.",
            result.FailureMessage());
    }

    [Fact]
    public void Schedule_NoNodes_SaysSo()
    {
        var result = Algorithm.Schedule(Pod("p"), []);
        Assert.StartsWith("0/0 nodes are available: no nodes available to schedule pods.", result.FailureMessage());
    }

    [Fact]
    public void Schedule_ReplicasOfOneOwner_SpreadEvenly()
    {
        var placed = new List<Orchestrator.Core.Scheduling.NodeInfo>();
        var pods = new List<System.Text.Json.Nodes.JsonObject>();
        var nodes = new[] { Node("n1"), Node("n2"), Node("n3") };
        for (var i = 0; i < 9; i++)
        {
            var pod = Pod("web-" + i, cpu: "100m", ownerUid: "rs1");
            var result = Algorithm.Schedule(pod, SchedulingAlgorithm.Snapshot(nodes, pods, []));
            pod["spec"]!["nodeName"] = result.Node;
            pods.Add(pod);
        }
        Assert.All(pods.GroupBy(p => (string)p["spec"]!["nodeName"]!), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public void Schedule_EqualNodes_DifferentPodsPickDifferentNodes_SamePodAlwaysTheSame()
    {
        var nodes = SchedulingAlgorithm.Snapshot(Enumerable.Range(0, 5).Select(i => Node("n" + i)), [], []);
        var picks = Enumerable.Range(0, 40).Select(i => Algorithm.Schedule(Pod("p" + i), nodes).Node).ToList();
        Assert.True(picks.Distinct().Count() > 2);
        Assert.Equal(Algorithm.Schedule(Pod("p7"), nodes).Node, Algorithm.Schedule(Pod("p7"), nodes).Node);
    }

    [Fact]
    public void Snapshot_CountsAssumedAndBoundPods_SkipsFinishedOnes()
    {
        var bound = Pod("b", cpu: "1", node: "n1", phase: "Running");
        var done = Pod("d", cpu: "1", node: "n1", phase: "Succeeded");
        var assumed = Pod("a", cpu: "2", node: "n1");
        var stale = Pod("a", cpu: "2"); // the cache's copy of the assumed pod, not yet showing the binding
        var infos = SchedulingAlgorithm.Snapshot([Node("n1")], [bound, done, stale], [assumed]);
        Assert.Equal(3000, infos.Single().Requested[ResourceList.Cpu]);
        Assert.Equal(2, infos.Single().PodCount);
    }
}
