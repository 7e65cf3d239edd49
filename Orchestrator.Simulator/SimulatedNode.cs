using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Model;

namespace Orchestrator.Simulator;

/// <summary>
/// One fake node: its name, pod CIDR and addresses, and the Node object describing it. Node <c>i</c> gets pod CIDR
/// 10.(244 + i / 256).(i % 256).0/24 and InternalIP 10.255.x.y — addresses nothing ever connects to.
/// </summary>
public sealed class SimulatedNode
{
    public const string SimulatedLabel = "sim.orchestrator/simulated";

    public SimulatedNode(string name, int index)
    {
        Name = name;
        Index = index;
        PodNetwork = $"10.{244 + index / 256}.{index % 256}";
        var host = index + 1;
        InternalIp = $"10.255.{host / 256 % 256}.{host % 256}";
    }

    public string Name { get; }

    public int Index { get; }

    /// <summary>The first three octets of the /24 pod CIDR.</summary>
    public string PodNetwork { get; private set; }

    public string PodCidr => $"{PodNetwork}.0/24";

    public string InternalIp { get; }

    public string? Uid { get; set; }

    /// <summary>Keeps the CIDR a node registered earlier was given (it may have been assigned differently).</summary>
    public void AdoptPodCidr(string? cidr)
    {
        if (cidr is { Length: > 0 } && cidr.EndsWith(".0/24", StringComparison.Ordinal)) PodNetwork = cidr[..^".0/24".Length];
    }

    public JsonObject NewNode(SimulatorOptions options) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["labels"] = new JsonObject
            {
                ["kubernetes.io/hostname"] = Name,
                ["kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = "amd64",
                ["node.kubernetes.io/instance-type"] = "simulated",
                [SimulatedLabel] = "true",
            },
            ["annotations"] = new JsonObject
            {
                [SimulatedLabel] = "true",
                ["node.alpha.kubernetes.io/ttl"] = "0",
            },
        },
        ["spec"] = new JsonObject
        {
            ["podCIDR"] = PodCidr,
            ["podCIDRs"] = new JsonArray(PodCidr),
        },
    };

    /// <summary>The node status as a kubelet reports it; transition times survive from <paramref name="previous"/>.</summary>
    public JsonObject Status(SimulatorOptions options, DateTimeOffset now, JsonObject? previous)
    {
        var stamp = KubeTime.Format(now);
        var resources = new JsonObject { ["cpu"] = options.Cpu, ["memory"] = options.Memory, ["pods"] = options.Pods.ToString() };
        return new JsonObject
        {
            ["capacity"] = resources.DeepClone(),
            ["allocatable"] = resources,
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = InternalIp },
                new JsonObject { ["type"] = "Hostname", ["address"] = Name }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
            ["nodeInfo"] = new JsonObject
            {
                ["machineID"] = $"sim{Index:x29}",
                ["systemUUID"] = $"00000000-0000-0000-0000-{Index:x12}",
                ["bootID"] = $"00000000-0000-0000-0001-{Index:x12}",
                ["kernelVersion"] = "simulated",
                ["osImage"] = "Orchestrator simulated node",
                ["containerRuntimeVersion"] = "sim://1.0",
                ["kubeletVersion"] = "v1.32.0-sim",
                ["kubeProxyVersion"] = "v1.32.0-sim",
                ["operatingSystem"] = "linux",
                ["architecture"] = "amd64",
            },
            ["conditions"] = new JsonArray(
                Condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", stamp),
                Condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", stamp),
                Condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", stamp),
                Condition(previous, "Ready", "True", "KubeletReady", "kubelet is posting ready status (simulated node)", stamp)),
        };
    }

    private static JsonObject Condition(JsonObject? previousStatus, string type, string status, string reason, string message, string stamp)
    {
        var old = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        var since = old?.Str("status") == status ? old.Str("lastTransitionTime") ?? stamp : stamp;
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

    public JsonObject NewLease(SimulatorOptions options, DateTimeOffset now)
    {
        var meta = new JsonObject { ["name"] = Name, ["namespace"] = "kube-node-lease" };
        // Owned by the Node, as a kubelet's lease is, so deleting the node lets the garbage collector reap it.
        if (Uid != null)
            meta["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = Name, ["uid"] = Uid });
        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = meta,
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = Name,
                ["leaseDurationSeconds"] = options.LeaseDurationSeconds,
                ["renewTime"] = KubeTime.FormatMicro(now),
            },
        };
    }

}
