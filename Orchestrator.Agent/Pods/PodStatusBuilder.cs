using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Builds a pod's <c>status</c> from what runs, as the kubelet's status manager does. A pure function: the same
/// input gives the same JSON, so the writer can compare it with what the API holds and write only changes.
/// <list type="bullet">
/// <item>containerStatuses / initContainerStatuses: state (running, terminated, or waiting with this sync's
/// reason), lastState from the previous exited container, ready, started, restartCount (the attempt), image,
/// imageID, containerID <c>docker://ID</c>;</item>
/// <item>phase by <see cref="PodPhaseRules"/>;</item>
/// <item>conditions Initialized, Ready, ContainersReady, PodScheduled with the kubelet's reasons and messages, a
/// lastTransitionTime that only moves when the status of the condition changes; other condition types are kept;</item>
/// <item>podIP(s), hostIP(s), startTime (the first sync), qosClass (set by the API server at creation).</item>
/// </list>
/// </summary>
public static class PodStatusBuilder
{
    public static JsonObject Build(PodStatusInput input)
    {
        var pod = input.Pod;
        var old = pod["status"] as JsonObject ?? new JsonObject();
        var now = KubeTime.Format(input.Now);

        var initSpecs = Specs(pod, "initContainers");
        var appSpecs = Specs(pod, "containers");

        var initStatuses = new JsonArray();
        var initDone = true;
        foreach (var spec in initSpecs)
        {
            var s = ContainerStatus(input, spec, init: true, initDone: true);
            initStatuses.Add(s);
            if (s["state"]?["terminated"] is not { } t || t.Long("exitCode") != 0) initDone = false;
        }
        var statuses = new JsonArray();
        foreach (var spec in appSpecs)
            statuses.Add(ContainerStatus(input, spec, init: false, initDone));

        var phase = PodPhaseRules.Phase(pod, initStatuses, statuses, old.Str("phase"));

        var status = new JsonObject { ["phase"] = phase };
        var conditions = Conditions(old, initSpecs, initStatuses, appSpecs, statuses, phase, now);
        status["conditions"] = conditions;
        status["hostIP"] = input.HostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = input.HostIp });
        var podIp = input.PodIp ?? old.Str("podIP");
        if (!string.IsNullOrEmpty(podIp))
        {
            status["podIP"] = podIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        }
        status["startTime"] = old.Str("startTime") ?? now;
        if (initStatuses.Count > 0) status["initContainerStatuses"] = initStatuses;
        status["containerStatuses"] = statuses;
        if (old.Str("qosClass") is { } qos) status["qosClass"] = qos;
        foreach (var keep in new[] { "nominatedNodeName", "reason", "message" })
            if (old[keep] is { } v) status[keep] = v.DeepClone();
        return status;
    }

    private static List<JsonObject> Specs(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static JsonObject ContainerStatus(PodStatusInput input, JsonObject spec, bool init, bool initDone)
    {
        var name = spec.Str("name") ?? "";
        var latest = input.Observed.Latest(name);
        var previous = input.Observed.Previous(name, latest);
        input.Waiting.TryGetValue(name, out var waiting);

        JsonObject state;
        JsonObject lastState = previous is null ? new JsonObject() : new JsonObject { ["terminated"] = Terminated(previous) };
        var ready = false;
        var started = false;
        switch (latest?.State)
        {
            case ObservedContainerState.Running:
                state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(latest.StartedAt ?? latest.CreatedAt) } };
                ready = !init && input.IsReady(latest.Id);
                started = input.IsStarted(latest.Id);
                break;
            case ObservedContainerState.Exited when waiting is null:
                state = new JsonObject { ["terminated"] = Terminated(latest) };
                ready = init && latest.EffectiveExitCode == 0;
                break;
            case ObservedContainerState.Exited:
                state = Waiting(waiting!);
                lastState = new JsonObject { ["terminated"] = Terminated(latest) };
                break;
            default:
                state = Waiting(waiting ?? (init || initDone ? ContainerWaiting.Creating : ContainerWaiting.Initializing));
                break;
        }

        var status = new JsonObject
        {
            ["name"] = name,
            ["state"] = state,
            ["lastState"] = lastState,
            ["ready"] = ready,
            ["restartCount"] = latest?.Attempt ?? 0,
            ["image"] = spec.Str("image") ?? "",
            ["imageID"] = latest?.ImageId is { } id ? input.ImageRefs.GetValueOrDefault(id) ?? "docker://" + id : "",
        };
        if (latest is not null) status["containerID"] = ContainerId(latest);
        status["started"] = started;
        return status;
    }

    public static string ContainerId(ObservedContainer c) => "docker://" + c.Id;

    private static JsonObject Waiting(ContainerWaiting w)
    {
        var o = new JsonObject { ["reason"] = w.Reason };
        if (!string.IsNullOrEmpty(w.Message)) o["message"] = w.Message;
        return new JsonObject { ["waiting"] = o };
    }

    private static JsonObject Terminated(ObservedContainer c)
    {
        var t = new JsonObject
        {
            ["exitCode"] = c.EffectiveExitCode,
            ["reason"] = c.TerminationReason,
        };
        if (c.Error is { Length: > 0 } error) t["message"] = error;
        t["startedAt"] = Time(c.StartedAt ?? c.CreatedAt);
        t["finishedAt"] = Time(c.FinishedAt ?? c.StartedAt ?? c.CreatedAt);
        t["containerID"] = ContainerId(c);
        return t;
    }

    private static JsonNode? Time(DateTimeOffset? t) => t is { } v ? KubeTime.Format(v) : null;

    private static JsonArray Conditions(JsonObject old, List<JsonObject> initSpecs, JsonArray initStatuses,
        List<JsonObject> appSpecs, JsonArray statuses, string phase, string now)
    {
        var oldConditions = (old["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        JsonObject Condition(string type, bool value, string? reason, string? message)
        {
            var status = value ? "True" : "False";
            var previous = oldConditions.FirstOrDefault(c => c.Str("type") == type);
            var c = new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["lastTransitionTime"] = previous?.Str("status") == status ? previous.Str("lastTransitionTime") ?? now : now,
            };
            if (reason != null) c["reason"] = reason;
            if (message != null) c["message"] = message;
            return c;
        }

        var completed = phase == PodPhaseRules.Succeeded;
        var incompleteInit = initSpecs.Select(s => s.Str("name") ?? "")
            .Where(n => initStatuses.FirstOrDefault(s => s.Str("name") == n)?["state"]?["terminated"] is not { } t || t.Long("exitCode") != 0)
            .ToList();
        var unready = appSpecs.Select(s => s.Str("name") ?? "")
            .Where(n => statuses.FirstOrDefault(s => s.Str("name") == n)?.Bool("ready") != true)
            .ToList();

        var initialized = completed || incompleteInit.Count == 0
            ? Condition("Initialized", true, completed && initSpecs.Count > 0 ? "PodCompleted" : null, null)
            : Condition("Initialized", false, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incompleteInit)}]");
        JsonObject Readiness(string type) => completed
            ? Condition(type, false, "PodCompleted", null)
            : unready.Count == 0
                ? Condition(type, true, null, null)
                : Condition(type, false, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");

        var result = new JsonArray(initialized, Readiness("Ready"), Readiness("ContainersReady"));
        var scheduled = oldConditions.FirstOrDefault(c => c.Str("type") == "PodScheduled")?.DeepClone()
                        ?? Condition("PodScheduled", true, null, null);
        result.Add(scheduled);
        foreach (var other in oldConditions.Where(c => c.Str("type") is not ("Initialized" or "Ready" or "ContainersReady" or "PodScheduled")))
            result.Add(other.DeepClone());
        return result;
    }
}
