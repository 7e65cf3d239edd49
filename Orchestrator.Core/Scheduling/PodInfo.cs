using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// What the scheduler needs to know about a pod already placed, parsed once: its requests (exact and with the
/// scoring defaults for best-effort pods), host ports and controller. Every cycle reads every placed pod, so
/// this is computed once per cached object (see <see cref="PodInfoCache"/>), not once per cycle.
/// </summary>
public sealed class PodInfo
{
    /// <summary>Scoring stand-ins for a pod that requests no cpu or memory (upstream's non-zero defaults).</summary>
    public const long DefaultMilliCpu = 100;
    public const long DefaultMemory = 200L * 1024 * 1024;

    private PodInfo(JsonObject pod)
    {
        Pod = pod;
        Key = $"{pod.Namespace()}/{pod.Name()}";
        Requests = PodResources.Requests(pod);
        NonZeroMilliCpu = Requests[ResourceList.Cpu] > 0 ? Requests[ResourceList.Cpu] : DefaultMilliCpu;
        NonZeroMemory = Requests[ResourceList.Memory] > 0 ? Requests[ResourceList.Memory] : DefaultMemory;
        HostPorts = PodResources.HostPorts(pod).ToArray();
        OwnerKey = OwnerReferences.ControllerOf(pod)?.Str("uid") is { Length: > 0 } uid ? $"{pod.Namespace()}/{uid}" : null;
    }

    public static PodInfo Of(JsonObject pod) => new(pod);

    public JsonObject Pod { get; }

    public string Key { get; }

    public ResourceList Requests { get; }

    public long NonZeroMilliCpu { get; }

    public long NonZeroMemory { get; }

    public IReadOnlyList<HostPort> HostPorts { get; }

    /// <summary>"namespace/uid" of the controller ownerReference, or null.</summary>
    public string? OwnerKey { get; }
}
