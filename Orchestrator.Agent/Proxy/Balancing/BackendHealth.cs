namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// The passive health and load of one endpoint of one service port: consecutive connect failures, the ejection
/// deadline and the open connections (for least-connections). Mutable and shared by every <see cref="BackendTable"/>
/// that lists the endpoint, so ejections and counts survive a table swap. Updated with interlocked operations only.
/// </summary>
public sealed class BackendHealth
{
    private int _consecutiveFailures;
    private int _ejections;
    private long _ejectedUntilTicks;
    private int _activeConnections;

    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    public bool IsEjected(long nowTicks) => Volatile.Read(ref _ejectedUntilTicks) > nowTicks;

    public void ConnectionOpened() => Interlocked.Increment(ref _activeConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    public void Succeeded()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0) Volatile.Write(ref _consecutiveFailures, 0);
        if (Volatile.Read(ref _ejections) != 0) Volatile.Write(ref _ejections, 0);
    }

    /// <summary>Counts a failed connect; the <paramref name="threshold"/>th in a row ejects the endpoint (true).</summary>
    public bool Failed(int threshold, TimeSpan firstEjection, TimeSpan maxEjection, long nowTicks)
    {
        if (Interlocked.Increment(ref _consecutiveFailures) < threshold) return false;
        Volatile.Write(ref _consecutiveFailures, 0);
        var n = Math.Min(Interlocked.Increment(ref _ejections) - 1, 16);
        var duration = Math.Min(firstEjection.Ticks << n, maxEjection.Ticks);
        Volatile.Write(ref _ejectedUntilTicks, nowTicks + duration);
        return true;
    }
}
