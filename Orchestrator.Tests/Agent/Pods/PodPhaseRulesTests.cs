using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Pods;

public sealed class PodPhaseRulesTests
{
    private static JsonObject Pod(string policy, params string[] containers) => new()
    {
        ["spec"] = new JsonObject
        {
            ["restartPolicy"] = policy,
            ["containers"] = new JsonArray(containers.Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray()),
        },
    };

    private static JsonNode Running(string name) => new JsonObject { ["name"] = name, ["state"] = new JsonObject { ["running"] = new JsonObject() } };

    private static JsonNode Terminated(string name, int exit) =>
        new JsonObject { ["name"] = name, ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exit } } };

    private static JsonNode Waiting(string name, int? lastExit = null)
    {
        var s = new JsonObject { ["name"] = name, ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "X" } } };
        if (lastExit is { } e) s["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = e } };
        return s;
    }

    public static TheoryData<string, JsonNode[], string> Cases => new()
    {
        { "Always", [Running("a"), Running("b")], "Running" },
        { "Always", [Running("a"), Waiting("b")], "Pending" },
        { "Always", [Running("a")], "Pending" }, // b unknown
        { "Always", [Terminated("a", 0), Terminated("b", 1)], "Running" },
        { "Always", [Running("a"), Waiting("b", lastExit: 1)], "Running" },
        { "OnFailure", [Terminated("a", 0), Terminated("b", 0)], "Succeeded" },
        { "OnFailure", [Terminated("a", 0), Waiting("b", lastExit: 1)], "Running" },
        { "Never", [Terminated("a", 0), Terminated("b", 0)], "Succeeded" },
        { "Never", [Terminated("a", 0), Terminated("b", 2)], "Failed" },
        { "Never", [Running("a"), Terminated("b", 2)], "Running" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Phase_AsKubeletGetPhase(string policy, JsonNode[] statuses, string expected) =>
        Assert.Equal(expected, PodPhaseRules.Phase(Pod(policy, "a", "b"), [], new JsonArray(statuses), "Pending"));

    [Fact]
    public void FailedInitContainerWaitingToRestart_IsPendingUnlessNever()
    {
        var pod = Pod("OnFailure", "a");
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "i" });
        Assert.Equal("Pending", PodPhaseRules.Phase(pod, [Waiting("i", lastExit: 1)], [Waiting("a")], null));
        pod["spec"]!["restartPolicy"] = "Never";
        Assert.Equal("Failed", PodPhaseRules.Phase(pod, [Terminated("i", 1)], [Waiting("a")], null));
    }

    [Fact]
    public void TerminalPhaseIsKept() =>
        Assert.Equal("Succeeded", PodPhaseRules.Phase(Pod("Always", "a"), [], [Running("a")], "Succeeded"));
}
