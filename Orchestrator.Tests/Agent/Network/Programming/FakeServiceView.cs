using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>An <see cref="IServiceView"/> the test publishes snapshots into.</summary>
internal sealed class FakeServiceView : IServiceView
{
    private readonly object _gate = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterServices _current = ClusterServices.Empty;

    public ClusterServices Current { get { lock (_gate) return _current; } }

    public bool Synced { get { lock (_gate) return _current.Version > 0; } }

    public void Publish(ClusterServices snapshot)
    {
        TaskCompletionSource published;
        lock (_gate)
        {
            _current = snapshot;
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        published.TrySetResult();
    }

    public async Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct)
    {
        while (true)
        {
            Task published;
            lock (_gate)
            {
                if (_current.Version > version) return _current;
                published = _published.Task;
            }
            await published.WaitAsync(ct);
        }
    }
}
