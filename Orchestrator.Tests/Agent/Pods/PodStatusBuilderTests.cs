using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Pods;

public sealed class PodStatusBuilderTests
{
    private static JsonObject Pod(string restartPolicy = "Always", string[]? containers = null, string[]? init = null, JsonObject? status = null)
    {
        var spec = new JsonObject
        {
            ["restartPolicy"] = restartPolicy,
            ["containers"] = new JsonArray((containers ?? ["app"]).Select(n => (JsonNode)new JsonObject { ["name"] = n, ["image"] = "busybox:1" }).ToArray()),
        };
        if (init != null)
            spec["initContainers"] = new JsonArray(init.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["image"] = "busybox:1" }).ToArray());
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["uid"] = "uid-1" },
            ["spec"] = spec,
            ["status"] = status?.DeepClone() ?? new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" },
        };
    }

    private static JsonObject Build(JsonObject pod, ObservedPod observed, Dictionary<string, ContainerWaiting>? waiting = null,
        Func<string, bool>? ready = null, string? podIp = "10.244.0.5") =>
        PodStatusBuilder.Build(new PodStatusInput(pod, observed, podIp, "192.168.1.10", Observed.T0.AddMinutes(1),
            waiting ?? [], ready ?? (_ => true), _ => true, new Dictionary<string, string> { ["sha256:img"] = "docker-pullable://busybox@sha256:abc" }));

    private static JsonObject Condition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    [Fact]
    public void RunningReadyContainer_PodRunningAndReady()
    {
        var status = Build(Pod(), Observed.Pod(Observed.Sandbox(), Observed.Running("app")));

        Assert.Equal("Running", (string?)status["phase"]);
        Assert.Equal("10.244.0.5", (string?)status["podIP"]);
        Assert.Equal("10.244.0.5", (string?)status["podIPs"]![0]!["ip"]);
        Assert.Equal("192.168.1.10", (string?)status["hostIP"]);
        Assert.Equal("BestEffort", (string?)status["qosClass"]);
        Assert.Equal("2026-11-22T05:01:00Z", (string?)status["startTime"]);
        var c = status["containerStatuses"]![0]!;
        Assert.Equal("2026-11-22T05:00:00Z", (string?)c["state"]!["running"]!["startedAt"]);
        Assert.True((bool)c["ready"]!);
        Assert.True((bool)c["started"]!);
        Assert.Equal(0, (int)c["restartCount"]!);
        Assert.Equal("docker://app-0", (string?)c["containerID"]);
        Assert.Equal("docker-pullable://busybox@sha256:abc", (string?)c["imageID"]);
        Assert.Equal("busybox:1", (string?)c["image"]);
        Assert.Equal("True", (string?)Condition(status, "Ready")["status"]);
        Assert.Equal("True", (string?)Condition(status, "ContainersReady")["status"]);
        Assert.Equal("True", (string?)Condition(status, "Initialized")["status"]);
        Assert.Equal("True", (string?)Condition(status, "PodScheduled")["status"]);
    }

    [Fact]
    public void UnreadyContainer_ReadyFalseWithKubeletMessage()
    {
        var status = Build(Pod(containers: ["a", "b"]), Observed.Pod(Observed.Sandbox(), Observed.Running("a"), Observed.Running("b")),
            ready: id => id == "a-0");
        var ready = Condition(status, "Ready");
        Assert.Equal("False", (string?)ready["status"]);
        Assert.Equal("ContainersNotReady", (string?)ready["reason"]);
        Assert.Equal("containers with unready status: [b]", (string?)ready["message"]);
        Assert.Equal("Running", (string?)status["phase"]);
    }

    [Fact]
    public void NoContainerYet_PendingContainerCreating()
    {
        var status = Build(Pod(), Observed.Pod(), podIp: null);
        Assert.Equal("Pending", (string?)status["phase"]);
        Assert.Equal("ContainerCreating", (string?)status["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        Assert.Null(status["podIP"]);
        Assert.Null(status["containerStatuses"]![0]!["containerID"]);
    }

    [Fact]
    public void CrashLoop_WaitingWithLastStateAndRestartCount()
    {
        var message = "back-off 20s restarting failed container=app pod=web_default(uid-1)";
        var status = Build(Pod(), Observed.Pod(Observed.Sandbox(), Observed.Exited("app", 1, attempt: 2), Observed.Exited("app", 1, attempt: 1)),
            new Dictionary<string, ContainerWaiting> { ["app"] = new("CrashLoopBackOff", message) });
        var c = status["containerStatuses"]![0]!;
        Assert.Equal("CrashLoopBackOff", (string?)c["state"]!["waiting"]!["reason"]);
        Assert.Equal(message, (string?)c["state"]!["waiting"]!["message"]);
        Assert.Equal(1, (int)c["lastState"]!["terminated"]!["exitCode"]!);
        Assert.Equal("Error", (string?)c["lastState"]!["terminated"]!["reason"]);
        Assert.Equal("docker://app-2", (string?)c["lastState"]!["terminated"]!["containerID"]);
        Assert.Equal(2, (int)c["restartCount"]!);
        Assert.False((bool)c["ready"]!);
        // Always: every container is restarting, so the pod is Running.
        Assert.Equal("Running", (string?)status["phase"]);
    }

    [Fact]
    public void NeverSuccess_SucceededPodCompleted()
    {
        var status = Build(Pod("Never"), Observed.Pod(Observed.Sandbox(), Observed.Exited("app", 0)));
        Assert.Equal("Succeeded", (string?)status["phase"]);
        var t = status["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal(0, (int)t["exitCode"]!);
        Assert.Equal("Completed", (string?)t["reason"]);
        Assert.Equal("2026-11-22T05:00:01Z", (string?)t["finishedAt"]);
        Assert.Equal("PodCompleted", (string?)Condition(status, "Ready")["reason"]);
        Assert.Equal("False", (string?)Condition(status, "Ready")["status"]);
    }

    [Fact]
    public void NeverFailure_FailedWithExitCode()
    {
        var status = Build(Pod("Never"), Observed.Pod(Observed.Sandbox(), Observed.Exited("app", 3)));
        Assert.Equal("Failed", (string?)status["phase"]);
        Assert.Equal(3, (int)status["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!);
    }

    [Fact]
    public void OomKilled_Reason()
    {
        var status = Build(Pod("Never"), Observed.Pod(Observed.Exited("app", 137, oom: true)));
        Assert.Equal("OOMKilled", (string?)status["containerStatuses"]![0]!["state"]!["terminated"]!["reason"]);
    }

    [Fact]
    public void StartFailed_TerminatedContainerCannotRunWithDockersMessage()
    {
        var error = "OCI runtime create failed: exec: \"nope\": executable file not found in $PATH";
        var status = Build(Pod("Never"), Observed.Pod(Observed.Sandbox(), Observed.StartFailed("app", error)));
        var t = status["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal("ContainerCannotRun", (string?)t["reason"]);
        Assert.Equal(error, (string?)t["message"]);
        Assert.Equal(127, (int)t["exitCode"]!);
        Assert.Equal("Failed", (string?)status["phase"]);
    }

    [Fact]
    public void InitContainerRunning_PendingAndAppPodInitializing()
    {
        var status = Build(Pod(init: ["setup", "migrate"]), Observed.Pod(Observed.Sandbox(),
            Observed.Exited("setup", 0, kind: "init"), Observed.Running("migrate", kind: "init")));
        Assert.Equal("Pending", (string?)status["phase"]);
        var init = status["initContainerStatuses"]!.AsArray();
        Assert.Equal("Completed", (string?)init[0]!["state"]!["terminated"]!["reason"]);
        Assert.True((bool)init[0]!["ready"]!);
        Assert.NotNull(init[1]!["state"]!["running"]);
        Assert.False((bool)init[1]!["ready"]!);
        Assert.Equal("PodInitializing", (string?)status["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        var initialized = Condition(status, "Initialized");
        Assert.Equal("False", (string?)initialized["status"]);
        Assert.Equal("ContainersNotInitialized", (string?)initialized["reason"]);
        Assert.Equal("containers with incomplete status: [migrate]", (string?)initialized["message"]);
    }

    [Fact]
    public void FailedInitWithNever_PodFailed()
    {
        var status = Build(Pod("Never", init: ["setup"]), Observed.Pod(Observed.Sandbox(), Observed.Exited("setup", 2, kind: "init")));
        Assert.Equal("Failed", (string?)status["phase"]);
    }

    [Fact]
    public void Conditions_KeepTransitionTimeWhileUnchanged_AndKeepScheduledAndStartTime()
    {
        var first = Build(Pod(), Observed.Pod(Observed.Sandbox(), Observed.Running("app")));
        var old = (JsonObject)first.DeepClone();
        Condition(old, "Ready")["lastTransitionTime"] = "2026-11-22T04:00:00Z";
        old["startTime"] = "2026-11-22T03:00:00Z";
        old["conditions"]!.AsArray().Remove(Condition(old, "PodScheduled"));
        old["conditions"]!.AsArray().Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = "2026-11-22T02:00:00Z" });

        var same = Build(Pod(status: old), Observed.Pod(Observed.Sandbox(), Observed.Running("app")));
        Assert.Equal("2026-11-22T04:00:00Z", (string?)Condition(same, "Ready")["lastTransitionTime"]);
        Assert.Equal("2026-11-22T02:00:00Z", (string?)Condition(same, "PodScheduled")["lastTransitionTime"]);
        Assert.Equal("2026-11-22T03:00:00Z", (string?)same["startTime"]);

        var changed = Build(Pod(status: old), Observed.Pod(Observed.Sandbox(), Observed.Running("app")), ready: _ => false);
        Assert.Equal("2026-11-22T05:01:00Z", (string?)Condition(changed, "Ready")["lastTransitionTime"]);
    }

    [Fact]
    public void SameInput_SameStatus()
    {
        var pod = Pod();
        var observed = Observed.Pod(Observed.Sandbox(), Observed.Running("app"));
        var first = Build(pod, observed);
        pod["status"] = first;
        Assert.True(JsonNode.DeepEquals(first, Build(pod, observed)));
    }

    [Fact]
    public void TerminalPhase_NeverLeft()
    {
        var status = Build(Pod("Always", status: new JsonObject { ["phase"] = "Failed" }), Observed.Pod(Observed.Sandbox(), Observed.Running("app")));
        Assert.Equal("Failed", (string?)status["phase"]);
    }
}
