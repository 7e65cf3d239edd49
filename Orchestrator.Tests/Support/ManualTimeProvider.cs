namespace Orchestrator.Tests.Support;

/// <summary>
/// A clock tests move by hand. Timers created through it (Task.Delay(…, time), WorkQueue back-offs, informer resync)
/// fire when <see cref="Advance"/> passes their due time, so controller tests never sleep.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.Due <= _now).ToList();
        }
        foreach (var t in due) t.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        public DateTimeOffset Due { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                Due = owner._now + dueTime;
                owner._timers.Add(this);
            }
            if (dueTime == TimeSpan.Zero) Fire();
            return true;
        }

        public void Fire()
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this)) return;
                owner._timers.Remove(this);
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    Due = owner._now + _period;
                    owner._timers.Add(this);
                }
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
