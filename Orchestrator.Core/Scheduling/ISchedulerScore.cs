using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// Ranks the nodes that passed every filter. Returns one score per node in [0, 100] (higher is better), already
/// normalised across <paramref name="nodes"/>; the scheduler sums them multiplied by <see cref="Weight"/>.
/// </summary>
public interface ISchedulerScore
{
    string Name { get; }

    int Weight { get; }

    IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes);
}
