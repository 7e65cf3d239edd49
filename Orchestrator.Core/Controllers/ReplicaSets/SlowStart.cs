namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// Runs an action <c>count</c> times in batches of 1, 2, 4, … (each batch in parallel), stopping after the first
/// batch with a failure. A template that cannot produce a valid pod (quota, admission) thus costs one failed call
/// instead of hundreds, while a healthy one reaches full parallelism within a few round trips — upstream's
/// slowStartBatch.
/// </summary>
public static class SlowStart
{
    public const int InitialBatchSize = 1;

    /// <summary>The number of successful calls and the first error of the failing batch, if any.</summary>
    public static async Task<(int Successes, Exception? Error)> RunAsync(int count, Func<Task> action, int initialBatchSize = InitialBatchSize)
    {
        var successes = 0;
        var remaining = count;
        for (var batch = Math.Min(remaining, initialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => Attempt(action)));
            successes += outcomes.Count(e => e == null);
            if (outcomes.FirstOrDefault(e => e != null) is { } error) return (successes, error);
            remaining -= batch;
        }
        return (successes, null);
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
