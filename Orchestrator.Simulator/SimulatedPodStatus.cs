using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Simulator;

/// <summary>
/// The pod statuses a kubelet would post, without running anything: Running (optionally not yet Ready), Ready,
/// and finished (Succeeded or Failed with an exit code).
/// </summary>
public static class SimulatedPodStatus
{
    public static JsonObject Running(JsonObject pod, SimulatedNode node, string podIp, DateTimeOffset now, bool ready)
    {
        var stamp = KubeTime.Format(now);
        var status = (pod["status"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
        status["phase"] = "Running";
        status["hostIP"] = node.InternalIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = node.InternalIp });
        status["podIP"] = podIp;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        status["startTime"] = stamp;
        status.Remove("reason");
        status.Remove("message");
        var readyText = ready ? "True" : "False";
        status["conditions"] = new JsonArray(
            Condition("PodReadyToStartContainers", "True", stamp),
            Condition("Initialized", "True", stamp),
            Condition("Ready", readyText, stamp, ready ? null : "ContainersNotReady"),
            Condition("ContainersReady", readyText, stamp, ready ? null : "ContainersNotReady"),
            Condition("PodScheduled", "True", ScheduledSince(pod) ?? stamp));
        var spec = pod["spec"];
        status["initContainerStatuses"] = Containers(spec, "initContainers") is { Count: > 0 } inits
            ? new JsonArray(inits.Select(c => (JsonNode)ContainerStatus(c, ready: true, new JsonObject
              {
                  ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = stamp, ["finishedAt"] = stamp, ["containerID"] = NewContainerId() },
              })).ToArray())
            : null;
        if (status["initContainerStatuses"] == null) status.Remove("initContainerStatuses");
        status["containerStatuses"] = new JsonArray(Containers(spec, "containers")
            .Select(c => (JsonNode)ContainerStatus(c, ready, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = stamp } }))
            .ToArray());
        return status;
    }

    /// <summary>Flips Ready and ContainersReady (and every container's ready) to True.</summary>
    public static JsonObject MarkReady(JsonObject pod, DateTimeOffset now)
    {
        var status = (JsonObject)pod["status"]!.DeepClone();
        var stamp = KubeTime.Format(now);
        foreach (var c in (status["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            if (c.Str("type") is "Ready" or "ContainersReady" && c.Str("status") != "True")
            {
                c["status"] = "True";
                c["lastTransitionTime"] = stamp;
                c.Remove("reason");
                c.Remove("message");
            }
        foreach (var cs in (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? []) cs["ready"] = true;
        return status;
    }

    /// <summary>All containers exited with <paramref name="exitCode"/>: Succeeded when 0, else Failed.</summary>
    public static JsonObject Finished(JsonObject pod, int exitCode, DateTimeOffset now)
    {
        var status = (JsonObject)pod["status"]!.DeepClone();
        var stamp = KubeTime.Format(now);
        status["phase"] = exitCode == 0 ? "Succeeded" : "Failed";
        foreach (var c in (status["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            if (c.Str("type") is "Ready" or "ContainersReady" or "PodReadyToStartContainers")
            {
                if (c.Str("status") != "False") c["lastTransitionTime"] = stamp;
                c["status"] = "False";
                c["reason"] = "PodCompleted";
            }
        foreach (var cs in (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var started = cs["state"]?["running"].Str("startedAt") ?? stamp;
            cs["ready"] = false;
            cs["started"] = false;
            cs["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = exitCode,
                    ["reason"] = exitCode == 0 ? "Completed" : "Error",
                    ["startedAt"] = started,
                    ["finishedAt"] = stamp,
                    ["containerID"] = cs.Str("containerID"),
                },
            };
        }
        return status;
    }

    private static JsonObject ContainerStatus(JsonObject container, bool ready, JsonObject state)
    {
        var image = container.Str("image") ?? "";
        return new JsonObject
        {
            ["name"] = container.Str("name"),
            ["image"] = image,
            ["imageID"] = "sim://sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image))),
            ["containerID"] = NewContainerId(),
            ["ready"] = ready,
            ["started"] = state["running"] != null,
            ["restartCount"] = 0,
            ["state"] = state,
            ["lastState"] = new JsonObject(),
        };
    }

    private static string NewContainerId() => "sim://" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static List<JsonObject> Containers(JsonNode? spec, string field) =>
        (spec?[field] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    private static JsonObject Condition(string type, string status, string stamp, string? reason = null)
    {
        var c = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = stamp };
        if (reason != null) c["reason"] = reason;
        return c;
    }

    private static string? ScheduledSince(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c.Str("type") == "PodScheduled" && c.Str("status") == "True")?.Str("lastTransitionTime");
}
