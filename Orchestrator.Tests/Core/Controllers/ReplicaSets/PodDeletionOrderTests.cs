using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class PodDeletionOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A pod described compactly: node ("" = unscheduled), phase, ready since (seconds ago; null = not ready),
    /// created (seconds ago), restarts, deletion cost.
    /// </summary>
    private static JsonObject Pod(string name, string node = "n1", string phase = "Running", int? readyAgo = 100,
        int createdAgo = 1000, int restarts = 0, int? cost = null)
    {
        var meta = new JsonObject
        {
            ["name"] = name, ["namespace"] = "default", ["uid"] = "uid-" + name,
            ["creationTimestamp"] = Stamp(createdAgo),
        };
        if (cost != null) meta["annotations"] = new JsonObject { [PodDeletionOrder.DeletionCostAnnotation] = cost.ToString() };
        var conditions = new JsonArray();
        if (readyAgo != null) conditions.Add(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = Stamp(readyAgo.Value) });
        return new JsonObject
        {
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["nodeName"] = node },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = conditions,
                ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "c", ["restartCount"] = restarts }),
            },
        };
    }

    private static string Stamp(int secondsAgo) => Now.AddSeconds(-secondsAgo).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public static TheoryData<string, JsonObject, JsonObject> FirstGoesFirst => new()
    {
        { "unscheduled before scheduled", Pod("a", node: "", phase: "Running"), Pod("b", readyAgo: 1) },
        { "pending before running", Pod("a", phase: "Pending", readyAgo: null), Pod("b", readyAgo: null) },
        { "unknown before running", Pod("a", phase: "Unknown", readyAgo: null), Pod("b", readyAgo: null) },
        { "pending before unknown", Pod("a", phase: "Pending", readyAgo: null), Pod("b", phase: "Unknown", readyAgo: null) },
        { "not ready before ready", Pod("a", readyAgo: null, createdAgo: 100_000), Pod("b", readyAgo: 1, createdAgo: 1) },
        { "lower deletion cost first", Pod("a", cost: -5, readyAgo: 100_000), Pod("b", readyAgo: 1) },
        { "ready more recently first", Pod("a", readyAgo: 10), Pod("b", readyAgo: 10_000) },
        { "more restarts first", Pod("a", restarts: 3, createdAgo: 100_000), Pod("b", restarts: 1, createdAgo: 10) },
        { "created more recently first", Pod("a", readyAgo: null, createdAgo: 10), Pod("b", readyAgo: null, createdAgo: 10_000) },
        { "same age bucket: uid decides", Pod("a", readyAgo: null, createdAgo: 1000), Pod("b", readyAgo: null, createdAgo: 1010) },
    };

    [Theory]
    [MemberData(nameof(FirstGoesFirst))]
    public void Select_OneOfTwo_TakesTheFirst(string because, JsonObject first, JsonObject second)
    {
        Assert.Equal(first.Name(), PodDeletionOrder.Select([first, second], [], 1, Now).Single().Name());
        Assert.Equal(first.Name(), PodDeletionOrder.Select([second, first], [], 1, Now).Single().Name());
        _ = because;
    }

    [Fact]
    public void Select_CrowdedNodeFirst()
    {
        // Pods of the sibling ReplicaSets crowd n1: of two equal pods the one there goes.
        var onCrowded = Pod("a", node: "n1");
        var alone = Pod("b", node: "n2");
        var related = new[] { onCrowded, alone, Pod("x", node: "n1"), Pod("y", node: "n1") };
        Assert.Equal("a", PodDeletionOrder.Select([alone, onCrowded], related, 1, Now).Single().Name());
    }

    [Fact]
    public void Select_CountAtLeastAll_TakesAll()
    {
        var pods = new[] { Pod("a"), Pod("b") };
        Assert.Equal(2, PodDeletionOrder.Select(pods, [], 5, Now).Count);
    }

    [Fact]
    public void Select_SeedScaleDown_KeepsTheLongestReady()
    {
        var pods = new[]
        {
            Pod("ready-long", readyAgo: 5000), Pod("ready-mid", readyAgo: 500), Pod("ready-new", readyAgo: 5),
            Pod("unready", readyAgo: null), Pod("unscheduled", node: "", phase: "Pending", readyAgo: null),
        };
        var victims = PodDeletionOrder.Select(pods, [], 3, Now).Select(p => p.Name()).ToList();
        Assert.Equal(["unscheduled", "unready", "ready-new"], victims);
    }
}
