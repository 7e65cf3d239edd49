using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Jobs;

/// <summary>
/// How long a Job waits before replacing failed pods, as upstream: 10 s after the first failure since the last
/// success, doubling with each further failure, at most 10 minutes, counted from the last failure. Without it a
/// crashing Job would burn through its backoffLimit in a second.
/// </summary>
public static class PodFailureBackoff
{
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    /// <summary>The wait still ahead before a new pod may be created in place of <paramref name="pods"/>' failures; null when none.</summary>
    public static TimeSpan? Remaining(IEnumerable<JsonObject> pods, DateTimeOffset now)
    {
        var finished = pods.Where(p => PodStatus.Phase(p) is "Succeeded" or "Failed").ToList();
        var lastSuccess = finished.Where(p => PodStatus.Phase(p) == "Succeeded").Select(FinishTime).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var failures = finished.Where(p => PodStatus.Phase(p) == "Failed").Select(FinishTime).Where(t => t >= lastSuccess).ToList();
        if (failures.Count == 0) return null;
        var delay = failures.Count >= 8 ? Max : TimeSpan.FromTicks(Math.Min(Max.Ticks, Base.Ticks << (failures.Count - 1)));
        var wait = failures.Max() + delay - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>When a finished pod finished: its last container termination, else its Ready transition, else its creation.</summary>
    public static DateTimeOffset FinishTime(JsonObject pod)
    {
        DateTimeOffset? latest = null;
        foreach (var field in new[] { "initContainerStatuses", "containerStatuses" })
            foreach (var cs in (pod["status"]?[field] as JsonArray)?.OfType<JsonObject>() ?? [])
                if (KubeTime.Parse(cs["state"]?["terminated"].Str("finishedAt")) is { } t && (latest == null || t > latest))
                    latest = t;
        return latest ?? KubeTime.Parse(PodStatus.Condition(pod, "Ready")?.Str("lastTransitionTime")) ?? PodStatus.CreationTime(pod);
    }
}
