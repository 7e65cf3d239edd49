using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy.HealthCheck;

/// <summary>An <see cref="IServiceView"/> a test publishes snapshots to by hand (always synced).</summary>
internal sealed class FakeServiceView : IServiceView
{
    private readonly object _gate = new();
    private ClusterServices _current = ClusterServices.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterServices Current { get { lock (_gate) return _current; } }

    public bool Synced => true;

    public void Publish(ClusterServices snapshot)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _current = snapshot;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    public async Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_current.Version > version) return _current;
                changed = _changed.Task;
            }
            await changed.WaitAsync(ct);
        }
    }
}
