using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Node;

/// <summary>
/// Builds this node's Node object and status the way a kubelet reports them. Pure: everything it needs is passed in,
/// so the shape is unit-testable. Conditions keep their lastTransitionTime while their status does not change.
/// </summary>
public sealed class NodeObjectBuilder(NodeIdentity identity, int kubeletPort = AgentOptions.DefaultKubeletPort)
{
    public const string KubeletVersion = "v1.32.0-orchestrator";
    public const int MaxPods = 110;

    /// <summary>A new Node: labels, no podCIDR (the server's node IPAM assigns it — a later issue), and a status.</summary>
    public JsonObject NewNode(RuntimeObservation runtime, DateTimeOffset now) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = identity.Name, ["labels"] = Labels() },
        ["spec"] = new JsonObject(),
        ["status"] = Status(runtime, now, previous: null),
    };

    /// <summary>The well-known labels a kubelet sets on its Node.</summary>
    public JsonObject Labels() => new()
    {
        ["kubernetes.io/hostname"] = identity.Name,
        ["kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = identity.Architecture,
        ["beta.kubernetes.io/os"] = "linux",
        ["beta.kubernetes.io/arch"] = identity.Architecture,
    };

    /// <summary>The Ready status this node should report for <paramref name="runtime"/>.</summary>
    public static string ReadyStatus(RuntimeObservation runtime) => runtime.Reachable ? "True" : "False";

    public JsonObject Status(RuntimeObservation runtime, DateTimeOffset now, JsonObject? previous)
    {
        var stamp = KubeTime.Format(now);
        var status = new JsonObject
        {
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = identity.InternalIp.ToString() },
                new JsonObject { ["type"] = "Hostname", ["address"] = identity.Name }),
            ["conditions"] = new JsonArray(
                Condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", stamp),
                Condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", stamp),
                Condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", stamp),
                Condition(previous, "NetworkUnavailable", "False", "RouteCreated", "orchestrator agent set up the node network", stamp),
                runtime.Reachable
                    ? Condition(previous, "Ready", "True", "KubeletReady", "orchestrator agent is posting ready status", stamp)
                    : Condition(previous, "Ready", "False", "ContainerRuntimeUnreachable",
                        $"container runtime is down: {runtime.Error ?? "unreachable"}", stamp)),
            // Where the API server reaches this agent's streaming port (logs, exec, attach, port-forward).
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = kubeletPort } },
        };

        var info = runtime.Info;
        if (info != null)
        {
            var resources = new JsonObject
            {
                ["cpu"] = info.NCPU.ToString(CultureInfo.InvariantCulture),
                ["memory"] = $"{info.MemTotal / 1024}Ki",
                ["pods"] = MaxPods.ToString(CultureInfo.InvariantCulture),
            };
            status["capacity"] = resources.DeepClone();
            // No system reserve yet: the agent and dockerd are small next to what pods ask for.
            status["allocatable"] = resources;
        }
        else if (previous != null)
        {
            // Docker has not answered since the agent started: keep what the node reported before rather than
            // dropping its capacity (which would make the scheduler think it holds nothing).
            if (previous["capacity"] is JsonObject capacity) status["capacity"] = capacity.DeepClone();
            if (previous["allocatable"] is JsonObject allocatable) status["allocatable"] = allocatable.DeepClone();
        }

        var previousInfo = previous?["nodeInfo"] as JsonObject;
        status["nodeInfo"] = new JsonObject
        {
            ["machineID"] = identity.MachineId,
            ["systemUUID"] = previousInfo.Str("systemUUID") ?? "",
            ["bootID"] = previousInfo.Str("bootID") ?? "",
            ["kernelVersion"] = info?.KernelVersion ?? previousInfo.Str("kernelVersion") ?? "",
            ["osImage"] = info?.OperatingSystem ?? previousInfo.Str("osImage") ?? "",
            ["containerRuntimeVersion"] = info?.ServerVersion is { } v ? $"docker://{v}" : previousInfo.Str("containerRuntimeVersion") ?? "",
            ["kubeletVersion"] = KubeletVersion,
            ["kubeProxyVersion"] = KubeletVersion,
            ["operatingSystem"] = "linux",
            ["architecture"] = identity.Architecture,
        };
        return status;
    }

    /// <summary>The status of condition <paramref name="type"/> in a Node's status, or null.</summary>
    public static string? ConditionStatus(JsonObject? nodeStatus, string type) =>
        (nodeStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type).Str("status");

    private static JsonObject Condition(JsonObject? previousStatus, string type, string status, string reason, string message, string stamp)
    {
        var old = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        var since = old.Str("status") == status ? old.Str("lastTransitionTime") ?? stamp : stamp;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = stamp,
            ["lastTransitionTime"] = since,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

}
