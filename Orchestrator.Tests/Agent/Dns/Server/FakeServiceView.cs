using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>An <see cref="IServiceView"/> the test sets by hand: <see cref="Publish"/> a snapshot, and it is synced.</summary>
internal sealed class FakeServiceView : IServiceView
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterServices _current = ClusterServices.Empty;
    private bool _synced;

    public ClusterServices Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    public bool Synced
    {
        get
        {
            lock (_gate) return _synced;
        }
    }

    public void Publish(ClusterServices snapshot)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _current = snapshot;
            _synced = true;
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    public async Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_synced && _current.Version > version) return _current;
                changed = _changed.Task;
            }

            await changed.WaitAsync(ct);
        }
    }
}
