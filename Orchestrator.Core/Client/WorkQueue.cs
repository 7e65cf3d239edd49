using System.Threading.Channels;

namespace Orchestrator.Core.Client;

/// <summary>
/// A keyed work queue with client-go's guarantees:
/// <list type="bullet">
/// <item>a key queued several times before a worker takes it is processed once (dedupe);</item>
/// <item>a key is never processed by two workers at once: added while in flight, it is queued again when
///   <see cref="Done"/> is called;</item>
/// <item><see cref="AddRateLimited"/> re-queues after a per-key exponential back-off (5 ms doubling to 5 min),
///   which <see cref="Forget"/> resets.</item>
/// </list>
/// </summary>
public sealed class WorkQueue<T> : IDisposable where T : notnull
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly Channel<T> _ready = Channel.CreateUnbounded<T>();
    private readonly TimeProvider _time;
    private readonly List<ITimer> _timers = [];
    private bool _shutDown;

    public WorkQueue(TimeProvider time) => _time = time;

    public int Length
    {
        get { lock (_gate) return _dirty.Count; }
    }

    public void Add(T key)
    {
        lock (_gate)
        {
            if (_shutDown || !_dirty.Add(key)) return;
            if (_processing.Contains(key)) return; // Done() will queue it
            _ready.Writer.TryWrite(key);
        }
    }

    public void AddAfter(T key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (_shutDown) return;
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                Add(key);
                lock (_gate) _timers.Remove(timer!);
                timer!.Dispose();
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    public void AddRateLimited(T key)
    {
        int failures;
        lock (_gate)
        {
            _failures.TryGetValue(key, out failures);
            _failures[key] = failures + 1;
        }
        var delay = TimeSpan.FromTicks((long)Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, Math.Min(failures, 30))));
        AddAfter(key, delay);
    }

    public int NumRequeues(T key)
    {
        lock (_gate) return _failures.GetValueOrDefault(key);
    }

    public void Forget(T key)
    {
        lock (_gate) _failures.Remove(key);
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it when finished.</summary>
    public async Task<T> GetAsync(CancellationToken ct)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(ct);
            lock (_gate)
            {
                if (!_dirty.Remove(key)) continue;
                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(T key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shutDown) _ready.Writer.TryWrite(key);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var t in _timers) t.Dispose();
            _timers.Clear();
            _ready.Writer.TryComplete();
        }
    }
}
