using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>
/// Prefers the node with the most cpu and memory left once the pod is placed (the mean free fraction of the two).
/// Pods that request nothing are counted as 100m cpu and 200Mi memory, as upstream does for scoring, so that even
/// best-effort pods spread by load.
/// </summary>
public sealed class LeastAllocatedScore : ISchedulerScore
{
    public const long DefaultMilliCpu = 100;
    public const long DefaultMemory = 200L * 1024 * 1024;

    public string Name => "LeastAllocated";

    public int Weight => 1;

    public IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes)
    {
        var (podCpu, podMemory) = NonZeroRequests(pod);
        return nodes.Select(n =>
        {
            long cpu = podCpu, memory = podMemory;
            foreach (var p in n.Pods)
            {
                var (c, m) = NonZeroRequests(p);
                cpu += c;
                memory += m;
            }
            return (Free(n.Allocatable[ResourceList.Cpu], cpu) + Free(n.Allocatable[ResourceList.Memory], memory)) / 2;
        }).ToList();
    }

    private static double Free(long allocatable, long requested) =>
        allocatable <= 0 || requested > allocatable ? 0 : 100.0 * (allocatable - requested) / allocatable;

    private static (long Cpu, long Memory) NonZeroRequests(JsonObject pod)
    {
        var r = PodResources.Requests(pod);
        return (r[ResourceList.Cpu] > 0 ? r[ResourceList.Cpu] : DefaultMilliCpu, r[ResourceList.Memory] > 0 ? r[ResourceList.Memory] : DefaultMemory);
    }
}
