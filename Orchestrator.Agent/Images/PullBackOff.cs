namespace Orchestrator.Agent.Images;

/// <summary>
/// Per-key back-off after failed pulls, as the kubelet's (client-go flowcontrol.Backoff with 10 s and 5 min):
/// the first failure waits <see cref="Initial"/>, each failure during or soon after a back-off doubles the wait up to
/// <see cref="Max"/>; a key whose last failure is more than twice <see cref="Max"/> ago starts over. A key is
/// "backing off" while less than its current wait has passed since its last failure. Thread-safe.
/// </summary>
public sealed class PullBackOff(TimeProvider time, TimeSpan initial, TimeSpan max)
{
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Dictionary<string, (TimeSpan Wait, DateTimeOffset LastFailure)> _entries = new(StringComparer.Ordinal);

    public PullBackOff(TimeProvider time) : this(time, DefaultInitial, DefaultMax)
    {
    }

    public TimeSpan Initial => initial;

    public TimeSpan Max => max;

    /// <summary>Records a failure now: the wait starts (again) at <see cref="Initial"/> or doubles.</summary>
    public void RecordFailure(string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var wait = _entries.TryGetValue(key, out var entry) && !HasExpired(entry.LastFailure, now)
                ? TimeSpan.FromTicks(Math.Min(entry.Wait.Ticks * 2, max.Ticks))
                : initial;
            _entries[key] = (wait, now);
            // Forget keys nobody has failed on for long (images of pods long gone).
            if (_entries.Count > 1024)
                foreach (var stale in _entries.Where(e => HasExpired(e.Value.LastFailure, now)).Select(e => e.Key).ToList())
                    _entries.Remove(stale);
        }
    }

    /// <summary>A successful pull ends the back-off.</summary>
    public void Reset(string key)
    {
        lock (_gate)
            _entries.Remove(key);
    }

    /// <summary>How much longer <paramref name="key"/> backs off; null when a pull may be tried now.</summary>
    public TimeSpan? Remaining(string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
                return null;
            var left = entry.LastFailure + entry.Wait - now;
            return left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>The current wait of <paramref name="key"/> (diagnostics and tests).</summary>
    public TimeSpan? CurrentWait(string key)
    {
        lock (_gate)
            return _entries.TryGetValue(key, out var entry) ? entry.Wait : null;
    }

    private bool HasExpired(DateTimeOffset lastFailure, DateTimeOffset now) => now - lastFailure > 2 * max;
}
