using System.Collections.Concurrent;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// The kubelet's per-container restart back-off (client-go <c>flowcontrol.Backoff</c> with 10 s initial, 5 min
/// maximum), keyed by pod uid, container name and spec hash:
/// <list type="bullet">
/// <item>a container that exited is restarted at once the first time; each later restart waits twice as long as
/// the one before (10 s, 20 s, 40 s … 5 min), counted from the moment the container exited;</item>
/// <item>an entry whose last restart is more than twice the maximum (10 min) older than the exit is forgotten:
/// a container that ran for 10 minutes starts over at 10 s.</item>
/// </list>
/// Thread-safe; the state is only in memory (an agent restart starts every container over, as the kubelet does).
/// </summary>
public sealed class CrashLoopBackoff(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(TimeSpan Backoff, DateTimeOffset LastUpdate);

    public static string KeyOf(string podUid, string container, string? specHash) => $"{podUid}/{container}/{specHash}";

    /// <summary>
    /// True while a restart of a container that exited at <paramref name="exitedAt"/> must wait; then
    /// <paramref name="backoff"/> is the current delay (what the CrashLoopBackOff message shows) and
    /// <paramref name="remaining"/> how long is left.
    /// </summary>
    public bool IsInBackOff(string key, DateTimeOffset exitedAt, out TimeSpan backoff, out TimeSpan remaining)
    {
        backoff = TimeSpan.Zero;
        remaining = TimeSpan.Zero;
        if (!_entries.TryGetValue(key, out var entry) || HasExpired(exitedAt, entry.LastUpdate))
            return false;
        var since = time.GetUtcNow() - exitedAt;
        if (since >= entry.Backoff)
            return false;
        backoff = entry.Backoff;
        remaining = entry.Backoff - since;
        return true;
    }

    /// <summary>Records a restart of a container that exited at <paramref name="exitedAt"/>: the next one waits longer.</summary>
    public void Next(string key, DateTimeOffset exitedAt)
    {
        var now = time.GetUtcNow();
        _entries.AddOrUpdate(key,
            _ => new Entry(Initial, now),
            (_, old) => HasExpired(exitedAt, old.LastUpdate)
                ? new Entry(Initial, now)
                : new Entry(TimeSpan.FromTicks(Math.Min(old.Backoff.Ticks * 2, Maximum.Ticks)), now));
    }

    public Entry? Get(string key) => _entries.GetValueOrDefault(key);

    /// <summary>Drops every entry of a pod (it is gone from this node).</summary>
    public void ForgetPod(string podUid)
    {
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(podUid + "/", StringComparison.Ordinal)))
            _entries.TryRemove(key, out _);
    }

    private static bool HasExpired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => eventTime - lastUpdate > Maximum * 2;

    /// <summary>Go's duration format for whole seconds and minutes as the kubelet prints back-offs: 10s, 1m20s, 5m0s.</summary>
    public static string FormatGoDuration(TimeSpan d)
    {
        var seconds = (long)Math.Round(d.TotalSeconds);
        if (seconds < 60) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 60) return $"{minutes}m{seconds % 60}s";
        return $"{minutes / 60}h{minutes % 60}m{seconds % 60}s";
    }
}
