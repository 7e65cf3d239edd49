using Orchestrator.Core.Scheduling;
using Orchestrator.Core.Scheduling.Scores;
using static Orchestrator.Tests.Core.Scheduling.SchedulingObjects;

namespace Orchestrator.Tests.Core.Scheduling;

public class ScoreTests
{
    [Theory]
    // same-owner pods on n1, n2, n3 → scores
    [InlineData(new[] { 0, 0, 0 }, new[] { 100.0, 100.0, 100.0 })]
    [InlineData(new[] { 1, 0, 0 }, new[] { 0.0, 100.0, 100.0 })]
    [InlineData(new[] { 2, 1, 0 }, new[] { 0.0, 50.0, 100.0 })]
    [InlineData(new[] { 2, 2, 2 }, new[] { 0.0, 0.0, 0.0 })]
    public void OwnerSpread_FewerSameOwnerPodsScoreHigher(int[] counts, double[] expected)
    {
        var nodes = counts.Select((c, i) => Info(Node("n" + i),
            Enumerable.Range(0, c).Select(k => Pod($"p{i}-{k}", node: "n" + i, ownerUid: "rs1"))
                .Append(Pod($"other{i}", node: "n" + i, ownerUid: "rs2")).ToArray())).ToList();
        Assert.Equal(expected, new OwnerSpreadScore().Score(Pod("new", ownerUid: "rs1"), nodes));
    }

    [Fact]
    public void OwnerSpread_PodWithoutController_AllEqual()
    {
        var nodes = new[] { Info(Node("a"), Pod("x", node: "a")), Info(Node("b")) };
        var scores = new OwnerSpreadScore().Score(Pod("new"), nodes);
        Assert.Equal(scores[0], scores[1]);
    }

    [Theory]
    // pod cpu, node a's used cpu (of 4), node b's used cpu (of 4) → which scores higher
    [InlineData("1", "2", "0", "b")]
    [InlineData("1", "0", "3", "a")]
    [InlineData("500m", "1", "1", "=")]
    public void LeastAllocated_MoreFreeScoresHigher(string podCpu, string usedA, string usedB, string winner)
    {
        var nodes = new[]
        {
            Info(Node("a"), Pod("ea", cpu: usedA, memory: "1Gi", node: "a")),
            Info(Node("b"), Pod("eb", cpu: usedB, memory: "1Gi", node: "b")),
        };
        var s = new LeastAllocatedScore().Score(Pod("p", cpu: podCpu, memory: "1Gi"), nodes);
        Assert.Equal(winner, s[0] > s[1] ? "a" : s[1] > s[0] ? "b" : "=");
    }

    [Fact]
    public void LeastAllocated_BestEffortPodsStillCount()
    {
        var nodes = new[] { Info(Node("a"), Pod("x", node: "a"), Pod("y", node: "a")), Info(Node("b"), Pod("z", node: "b")) };
        var s = new LeastAllocatedScore().Score(Pod("p"), nodes);
        Assert.True(s[1] > s[0]);
    }

    [Fact]
    public void TaintToleration_PreferNoScheduleLowersScore_UnlessTolerated()
    {
        var nodes = new[]
        {
            Info(Node("a", taints: """[{"key":"spot","value":"yes","effect":"PreferNoSchedule"}]""")),
            Info(Node("b")),
        };
        Assert.Equal([0.0, 100.0], new TaintTolerationScore().Score(Pod("p"), nodes));
        var tolerant = Pod("q", spec: """{"tolerations":[{"key":"spot","operator":"Exists"}]}""");
        Assert.Equal([100.0, 100.0], new TaintTolerationScore().Score(tolerant, nodes));
    }

    [Fact]
    public void NodeAffinity_PreferredWeightsAdd()
    {
        var pod = Pod("p", spec: """
            {"affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
              {"weight":80,"preference":{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]}]}},
              {"weight":20,"preference":{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}}]}}}
            """);
        var nodes = new[]
        {
            Info(Node("ssd-a", labels: """{"disk":"ssd","zone":"a"}""")),
            Info(Node("ssd", labels: """{"disk":"ssd"}""")),
            Info(Node("a", labels: """{"zone":"a"}""")),
            Info(Node("none")),
        };
        Assert.Equal([100.0, 80.0, 20.0, 0.0], new NodeAffinityScore().Score(pod, nodes));
    }
}
