namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>Normalisations the scores share.</summary>
internal static class ScoreMath
{
    /// <summary>Fewer is better: the node with the fewest gets 100, the one with the most 0 (all 100 when all are 0).</summary>
    public static IReadOnlyList<double> FewerIsBetter(IReadOnlyList<long> counts)
    {
        var max = counts.Count == 0 ? 0 : counts.Max();
        return counts.Select(c => max == 0 ? 100.0 : 100.0 * (max - c) / max).ToList();
    }

    /// <summary>More is better, relative to the best node (all 0 when none has any).</summary>
    public static IReadOnlyList<double> MoreIsBetter(IReadOnlyList<long> values)
    {
        var max = values.Count == 0 ? 0 : values.Max();
        return values.Select(v => max <= 0 ? 0.0 : 100.0 * v / max).ToList();
    }
}
