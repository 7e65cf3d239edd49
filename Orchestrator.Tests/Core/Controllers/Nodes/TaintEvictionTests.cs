using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.Nodes;

public sealed class TaintEvictionTests
{
    private static readonly DateTimeOffset Added = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("[]", "node.kubernetes.io/unreachable", "", 10)]                       // default eviction timeout
    [InlineData("[]", "node.kubernetes.io/not-ready", "", 10)]
    [InlineData("[]", "example.com/dedicated", "db", 0)]                                // a foreign NoExecute taint: at once
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]""",
        "node.kubernetes.io/unreachable", "", 30)]
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute"}]""",
        "node.kubernetes.io/unreachable", "", null)]                                     // tolerated for good (DaemonSet pods)
    [InlineData("""[{"operator":"Exists"}]""", "example.com/dedicated", "db", null)]    // empty key + Exists tolerates all
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoSchedule"}]""",
        "node.kubernetes.io/unreachable", "", 10)]                                       // other effect: no match
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":-5}]""",
        "node.kubernetes.io/unreachable", "", 0)]
    [InlineData("""[{"key":"example.com/dedicated","operator":"Equal","value":"web","effect":"NoExecute"}]""",
        "example.com/dedicated", "db", 0)]                                               // value differs: no match
    [InlineData("""[{"key":"example.com/dedicated","value":"db","effect":"NoExecute","tolerationSeconds":60}]""",
        "example.com/dedicated", "db", 60)]                                              // operator defaults to Equal
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":30},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":20}]""",
        "node.kubernetes.io/unreachable", "", 20)]                                       // the smallest matching seconds
    public void EvictionTime_FollowsTolerations(string tolerations, string taintKey, string taintValue, int? expectedSeconds)
    {
        var pod = new JsonObject { ["spec"] = new JsonObject { ["tolerations"] = JsonNode.Parse(tolerations) } };
        var taint = new JsonObject { ["key"] = taintKey, ["value"] = taintValue, ["effect"] = "NoExecute" };

        var at = TaintEviction.EvictionTime(pod, [taint], TimeSpan.FromSeconds(10), _ => Added);

        Assert.Equal(expectedSeconds is { } s ? Added.AddSeconds(s) : null, at);
    }

    [Fact]
    public void EvictionTime_EarliestTaintWins_AndNoScheduleTaintsAreIgnored()
    {
        var pod = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["tolerations"] = JsonNode.Parse("""[{"key":"b","operator":"Exists","effect":"NoExecute","tolerationSeconds":5}]"""),
            },
        };
        JsonObject[] taints =
        [
            new() { ["key"] = "node.kubernetes.io/unreachable", ["effect"] = "NoExecute" }, // added at 0, default 10
            new() { ["key"] = "b", ["effect"] = "NoExecute" },                              // added at 3, tolerated 5
            new() { ["key"] = "c", ["effect"] = "NoSchedule" },                             // never evicts
        ];
        var at = TaintEviction.EvictionTime(pod, taints, TimeSpan.FromSeconds(10), t => t.Str("key") == "b" ? Added.AddSeconds(3) : Added);
        Assert.Equal(Added.AddSeconds(8), at);
    }
}
