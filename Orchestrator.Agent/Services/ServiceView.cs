using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Orchestrator.Agent.Node;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Services;

/// <summary>
/// Keeps <see cref="IServiceView.Current"/> up to date: rebuilds the snapshot whenever a Service, EndpointSlice, Endpoints, Node or Namespace changes. Changes are
/// coalesced: handlers only raise a flag, one loop rebuilds; a burst of a hundred endpoint updates costs a few builds.
/// </summary>
public sealed class ServiceView : BackgroundService, IServiceView
{
    private readonly InformerFactory _informers;
    private readonly NodeIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceView> _log;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly object _gate = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterServices _current = ClusterServices.Empty;
    private bool _synced;

    public ServiceView(InformerFactory informers, NetworkSettings settings, NodeIdentity identity, TimeProvider time, ILogger<ServiceView> log)
    {
        _informers = informers;
        Settings = settings;
        // Before the first build, consumers already see this cluster's settings (the DNS responder answers SERVFAIL
        // on the cluster's DNS IP, not on the default one another cluster on this host may use).
        _current = ClusterServices.Empty with { NodeName = identity.Name, Settings = settings };
        _identity = identity;
        _time = time;
        _log = log;
        foreach (var kind in WatchedKinds)
            informers.For(kind).AddHandler(InformerHandler.Any(_ => Signal()));
    }

    private static readonly ResourceKind[] WatchedKinds =
        [Kinds.Service, Kinds.EndpointSlice, Kinds.Endpoints, Kinds.Node, Kinds.Namespace];

    public ClusterServices Current => Volatile.Read(ref _current);

    public bool Synced => Volatile.Read(ref _synced);

    public NetworkSettings Settings { get; }

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

    private void Signal()
    {
        // At most one pending signal: the loop rebuilds from the caches, which already hold every change so far.
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        _log.LogInformation("Service view: service CIDR {ServiceCidr}, cluster CIDR {ClusterCidr}, DNS {Dns}, domain {Domain}",
            Settings.ServiceCidr, Settings.ClusterCidr, Settings.ClusterDns, Settings.ClusterDomain);
        foreach (var kind in WatchedKinds) await _informers.For(kind).WaitForSyncAsync(ct);
        var version = 0L;
        while (!ct.IsCancellationRequested)
        {
            var snapshot = ClusterServicesBuilder.Build(++version, _time.GetUtcNow(), _identity.Name, Settings,
                _informers.For(Kinds.Service).List(),
                _informers.For(Kinds.EndpointSlice).List(),
                _informers.For(Kinds.Endpoints).List(),
                _informers.For(Kinds.Node).List(),
                _informers.For(Kinds.Namespace).List());
            TaskCompletionSource done;
            lock (_gate)
            {
                _current = snapshot;
                _synced = true;
                done = _published;
                _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            done.TrySetResult();
            await _changed.WaitAsync(ct);
        }
    }
}
