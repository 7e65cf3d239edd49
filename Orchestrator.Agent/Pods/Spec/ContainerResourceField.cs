using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Scheduling;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The value of a downward-API <c>resourceFieldRef</c> (upstream <c>fieldpath.ExtractContainerResourceValue</c>):
/// the container's limit or request divided by <c>divisor</c> (default 1) and rounded up. An unset limit reports
/// the node's allocatable, as the kubelet merges limits with it first; an unset request takes the limit, as the API
/// server's defaulting would have.
/// </summary>
public static class ContainerResourceField
{
    public static string Resolve(JsonObject container, string resource, JsonNode? divisorNode, PodSpecOptions node)
    {
        var divisor = Quantity.FromJson(divisorNode) ?? new Quantity(1m);
        if (divisor.Amount <= 0) throw Unsupported($"invalid divisor for {resource}: {divisorNode}");
        var resources = container["resources"];
        Quantity? Limit(string name) => Quantity.FromJson(resources?["limits"]?[name]);
        Quantity? Request(string name) => Quantity.FromJson(resources?["requests"]?[name]) ?? Limit(name);

        return resource switch
        {
            "limits.cpu" => Cpu(Limit("cpu") ?? new Quantity(node.NodeAllocatableMilliCpu / 1000m), divisor),
            "requests.cpu" => Cpu(Request("cpu") ?? Quantity.Zero, divisor),
            "limits.memory" => Bytes(Limit("memory") ?? new Quantity(node.NodeAllocatableMemory), divisor),
            "requests.memory" => Bytes(Request("memory") ?? Quantity.Zero, divisor),
            "limits.ephemeral-storage" => Bytes(Limit("ephemeral-storage") ?? new Quantity(node.NodeAllocatableEphemeralStorage), divisor),
            "requests.ephemeral-storage" => Bytes(Request("ephemeral-storage") ?? Quantity.Zero, divisor),
            _ => throw Unsupported($"unsupported container resource : {resource}"),
        };
    }

    /// <summary>CPU in units of the divisor, compared in millicores: 250m with divisor 1 is "1", with 1m "250".</summary>
    private static string Cpu(Quantity cpu, Quantity divisor) =>
        ((long)Math.Ceiling((decimal)cpu.MilliValue / divisor.MilliValue)).ToString(CultureInfo.InvariantCulture);

    private static string Bytes(Quantity amount, Quantity divisor) =>
        ((long)Math.Ceiling((decimal)amount.Value / divisor.Value)).ToString(CultureInfo.InvariantCulture);

    private static ContainerConfigException Unsupported(string message) =>
        new(ContainerConfigReasons.CreateContainerConfigError, message);
}
