using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Services;

/// <summary>An <see cref="IServiceView"/> the test publishes snapshots to (synced from the first one on).</summary>
internal sealed class FakeServiceView : IServiceView
{
    private readonly object _gate = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
            done = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    public async Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct)
    {
        while (true)
        {
            Task published;
            lock (_gate)
            {
                if (_synced && _current.Version > version) return _current;
                published = _published.Task;
            }
            await published.WaitAsync(ct);
        }
    }
}
