using System.Collections.Concurrent;
using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// <c>sessionAffinity: ClientIP</c>: client IP → (endpoint, last use). An entry older than the timeout is ignored and
/// swept (at most once per sweep interval, by whichever connection comes along), so the map holds only active clients.
/// </summary>
public sealed class SessionAffinityTable
{
    private static readonly long SweepEveryTicks = TimeSpan.FromSeconds(10).Ticks;

    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private long _lastSweepTicks;

    public int Count => _entries.Count;

    public IPEndPoint? Lookup(IPAddress client, long nowTicks, TimeSpan timeout)
    {
        MaybeSweep(nowTicks, timeout);
        if (!_entries.TryGetValue(client, out var e)) return null;
        if (nowTicks - Volatile.Read(ref e.LastUsedTicks) > timeout.Ticks) return null;
        Volatile.Write(ref e.LastUsedTicks, nowTicks);
        return e.Backend;
    }

    public void Remember(IPAddress client, IPEndPoint backend, long nowTicks) =>
        _entries[client] = new Entry(backend) { LastUsedTicks = nowTicks };

    public void Forget(IPAddress client) => _entries.TryRemove(client, out _);

    /// <summary>Drops pins to endpoints that are gone (a new table without them).</summary>
    public void Retain(IReadOnlySet<IPEndPoint> present)
    {
        foreach (var (client, e) in _entries)
            if (!present.Contains(e.Backend)) _entries.TryRemove(client, out _);
    }

    private void MaybeSweep(long nowTicks, TimeSpan timeout)
    {
        var last = Volatile.Read(ref _lastSweepTicks);
        if (nowTicks - last < Math.Min(SweepEveryTicks, timeout.Ticks)) return;
        if (Interlocked.CompareExchange(ref _lastSweepTicks, nowTicks, last) != last) return;
        foreach (var (client, e) in _entries)
            if (nowTicks - Volatile.Read(ref e.LastUsedTicks) > timeout.Ticks) _entries.TryRemove(client, out _);
    }

    private sealed class Entry(IPEndPoint backend)
    {
        public readonly IPEndPoint Backend = backend;
        public long LastUsedTicks;
    }
}
