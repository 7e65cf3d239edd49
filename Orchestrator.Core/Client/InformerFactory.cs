using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Client;

/// <summary>
/// One shared informer per kind, so that every controller watching pods reads the same cache and the server serves
/// one watch per kind. Informers are started by <see cref="StartAsync"/> and run until the token is cancelled.
/// </summary>
public sealed class InformerFactory(IKubeClient client, TimeProvider time, ILoggerFactory loggers, TimeSpan? resyncPeriod = null)
{
    private readonly ConcurrentDictionary<ResourceKind, Informer> _informers = new();
    private readonly HashSet<Informer> _running = [];
    private CancellationToken _token;
    private bool _started;
    private readonly object _gate = new();

    public Informer For(ResourceKind kind)
    {
        var informer = _informers.GetOrAdd(kind, k => new Informer(client, k, time, loggers.CreateLogger($"Informer[{k.Plural}]"), resyncPeriod));
        lock (_gate)
        {
            if (_started && _running.Add(informer)) Start(informer);
        }
        return informer;
    }

    /// <summary>Starts every informer asked for so far (and, from then on, each new one at once).</summary>
    public void Start(CancellationToken ct)
    {
        lock (_gate)
        {
            _token = ct;
            _started = true;
            foreach (var informer in _informers.Values)
                if (_running.Add(informer)) Start(informer);
        }
    }

    public Task WaitForSyncAsync(CancellationToken ct) =>
        Task.WhenAll(_informers.Values.Select(i => i.WaitForSyncAsync(ct)));

    private void Start(Informer informer) => _ = Task.Run(() => informer.RunAsync(_token), _token);
}
