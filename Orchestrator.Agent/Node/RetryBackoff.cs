using Orchestrator.Core.Errors;

namespace Orchestrator.Agent.Node;

/// <summary>How the agent's API loops back off after failures.</summary>
public static class RetryBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// 200 ms doubling per consecutive failure, capped at <paramref name="cap"/> (the loop's normal interval), as the
    /// kubelet's lease controller does: quick retries for a blip, never slower than the healthy rhythm.
    /// </summary>
    public static TimeSpan Delay(int consecutiveFailures, TimeSpan cap) =>
        TimeSpan.FromTicks(Math.Min(cap.Ticks, First.Ticks << Math.Clamp(consecutiveFailures - 1, 0, 20)));

    /// <summary>Failures worth retrying: API errors (409, 5xx, even 403 while RBAC settles), transport, timeouts.</summary>
    public static bool IsRetryable(Exception ex) =>
        ex is ApiException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException;
}
