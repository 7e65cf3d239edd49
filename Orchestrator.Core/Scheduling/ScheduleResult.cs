namespace Orchestrator.Core.Scheduling;

/// <summary>
/// The outcome of one scheduling cycle: the chosen node, or none with the reasons each node was rejected for.
/// </summary>
public sealed record ScheduleResult(string? Node, int NodeCount, IReadOnlyDictionary<string, IReadOnlyList<string>> Rejections)
{
    public bool Scheduled => Node != null;

    /// <summary>
    /// Upstream's FailedScheduling wording: "0/3 nodes are available: 1 node(s) didn't match Pod's node
    /// affinity/selector, 2 Insufficient cpu." — each reason with the number of nodes it applies to, sorted.
    /// </summary>
    public string FailureMessage()
    {
        if (NodeCount == 0) return "0/0 nodes are available: no nodes available to schedule pods. preemption is not supported.";
        var counts = Rejections.Values.SelectMany(r => r).GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}").Order(StringComparer.Ordinal);
        return $"0/{NodeCount} nodes are available: {string.Join(", ", counts)}. preemption is not supported.";
    }
}
