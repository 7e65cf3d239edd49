using Orchestrator.Core.Scheduling.Filters;
using Orchestrator.Core.Scheduling.Scores;

namespace Orchestrator.Core.Scheduling;

/// <summary>The filters and scores one scheduler runs, in order. Filters run cheapest and most selective first.</summary>
public sealed record SchedulerProfile(IReadOnlyList<ISchedulerFilter> Filters, IReadOnlyList<ISchedulerScore> Scores)
{
    public const string DefaultSchedulerName = "default-scheduler";

    public static SchedulerProfile Default() => new(
        [
            new NodeUnschedulableFilter(),
            new NodeReadyFilter(),
            new NodeSelectorFilter(),
            new NodeAffinityFilter(),
            new TaintTolerationFilter(),
            new HostPortFilter(),
            new ResourceFitFilter(),
        ],
        [
            new OwnerSpreadScore(),
            new LeastAllocatedScore(),
            new TaintTolerationScore(),
            new NodeAffinityScore(),
        ]);
}
