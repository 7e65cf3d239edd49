using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>
/// Prefers the node with the most cpu and memory left once the pod is placed (the mean free fraction of the two).
/// Pods that request nothing are counted as 100m cpu and 200Mi memory, as upstream does for scoring, so that even
/// best-effort pods spread by load.
/// </summary>
public sealed class LeastAllocatedScore : ISchedulerScore
{
    public string Name => "LeastAllocated";

    public int Weight => 1;

    public IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes)
    {
        var incoming = PodInfo.Of(pod);
        return nodes.Select(n =>
            (Free(n.Allocatable[ResourceList.Cpu], n.NonZeroMilliCpu + incoming.NonZeroMilliCpu) +
             Free(n.Allocatable[ResourceList.Memory], n.NonZeroMemory + incoming.NonZeroMemory)) / 2).ToList();
    }

    private static double Free(long allocatable, long requested) =>
        allocatable <= 0 || requested > allocatable ? 0 : 100.0 * (allocatable - requested) / allocatable;

}
