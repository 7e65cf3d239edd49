using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Orchestrator.Agent.Proxy.Balancing;
using Orchestrator.Agent.Proxy.Tcp;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// The node's TCP listeners and service-port balancers, converged to a snapshot by <see cref="ApplyAsync"/>:
/// <list type="number">
/// <item>every service port in use gets a fresh <see cref="BackendTable"/>; a balancer swaps it in only when it
///   differs (open connections and unchanged listeners are untouched; round robin keeps its place);</item>
/// <item>listeners no longer wanted stop accepting at once (their open connections run to their end);</item>
/// <item>kept listeners get their new route (service port, kind) in place;</item>
/// <item>new listeners are bound; one that cannot be bound is retried with a doubling back-off and returned as a
///   <see cref="PortConflict"/> until it binds.</item>
/// </list>
/// Not thread-safe: one loop applies snapshots one after the other.
/// </summary>
public sealed class ProxyListenerSet : IAsyncDisposable
{
    private readonly ServiceProxyOptions _options;
    private readonly IConnectionListenerFactory _factory;
    private readonly TcpForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Random _random = new();
    private readonly Dictionary<ListenerKey, TcpServiceListener> _listeners = new();
    private readonly Dictionary<string, ServicePortBalancer> _balancers = new(StringComparer.Ordinal);
    private readonly Dictionary<ListenerKey, BindFailure> _failures = new();
    private readonly List<Task> _retiring = [];

    public ProxyListenerSet(ServiceProxyOptions options, IConnectionListenerFactory factory, TcpForwarder forwarder, TimeProvider time, ILogger log)
    {
        _options = options;
        _factory = factory;
        _forwarder = forwarder;
        _time = time;
        _log = log;
    }

    public IReadOnlyDictionary<ListenerKey, TcpServiceListener> Listeners => _listeners;

    public IReadOnlyDictionary<string, ServicePortBalancer> Balancers => _balancers;

    /// <summary>When the earliest failed bind is due again (null: none failed).</summary>
    public DateTimeOffset? NextRetry => _failures.Count == 0 ? null : _failures.Values.Min(f => f.NextAttempt);

    public async Task<IReadOnlyList<PortConflict>> ApplyAsync(ClusterServices snapshot, IReadOnlyCollection<DesiredListener> desired, CancellationToken ct)
    {
        // 1. Balancers and their tables.
        var wantedBalancers = new Dictionary<string, DesiredListener>(StringComparer.Ordinal);
        foreach (var d in desired) wantedBalancers.TryAdd(d.BalancerKey, d);
        foreach (var (key, d) in wantedBalancers)
        {
            if (!snapshot.Services.TryGetValue(d.ServiceKey, out var svc)) continue;
            if (!_balancers.TryGetValue(key, out var balancer))
                _balancers[key] = balancer = new ServicePortBalancer(key, _time, _options);
            var table = BackendTable.Build(svc, d.Port, snapshot.NodeName, balancer.Table, _random);
            if (balancer.Update(table))
                _log.LogDebug("{Balancer}: {Count} endpoint(s) ({Local} local)", key, table.All.Length, table.Local.Length);
        }
        foreach (var gone in _balancers.Keys.Where(k => !wantedBalancers.ContainsKey(k)).ToList()) _balancers.Remove(gone);

        // 2. Listeners no longer wanted.
        var wanted = desired.ToDictionary(d => d.Key);
        foreach (var (key, listener) in _listeners.Where(kv => !wanted.ContainsKey(kv.Key)).ToList())
        {
            _listeners.Remove(key);
            _log.LogInformation("Stopped listening on {Listener}", key);
            _retiring.Add(listener.RetireAsync());
        }
        _retiring.RemoveAll(t => t.IsCompleted);
        foreach (var key in _failures.Keys.Where(k => !wanted.ContainsKey(k)).ToList()) _failures.Remove(key);

        // 3. Kept listeners: new route in place. 4. New listeners.
        var now = _time.GetUtcNow();
        foreach (var d in desired)
        {
            if (!_balancers.TryGetValue(d.BalancerKey, out var balancer)) continue;
            if (_listeners.TryGetValue(d.Key, out var existing))
            {
                var route = existing.Route;
                if (route.Desired != d || route.Balancer != balancer) existing.Route = new ListenerRoute(d, balancer);
                continue;
            }
            if (_failures.TryGetValue(d.Key, out var failure) && now < failure.NextAttempt)
            {
                _failures[d.Key] = failure with { Conflict = failure.Conflict with { Listener = d } };
                continue;
            }
            await BindAsync(d, balancer, failure, now, ct);
        }
        return _failures.Values.Select(f => f.Conflict).ToList();
    }

    private async Task BindAsync(DesiredListener d, ServicePortBalancer balancer, BindFailure? failure, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var connectionListener = await _factory.BindAsync(d.Key.EndPoint, ct);
            var listener = new TcpServiceListener(connectionListener, new ListenerRoute(d, balancer), _forwarder, _log);
            _listeners[d.Key] = listener;
            listener.Start();
            if (_failures.Remove(d.Key))
                _log.LogInformation("Listening on {Listener} for {Service} after {Attempts} failed attempt(s)", d.Key, d.ServiceKey, failure?.Attempts);
            else
                _log.LogInformation("Listening on {Listener} for {Service} ({Kind})", d.Key, d.ServiceKey, d.Kind);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = (failure?.Attempts ?? 0) + 1;
            var delay = TimeSpan.FromTicks(Math.Min(_options.BindRetry.Ticks << Math.Min(attempts - 1, 16), _options.MaxBindRetry.Ticks));
            var error = (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "address not available on this host",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message,
            };
            var holder = PortHolderLookup.Find(d.Key);
            if (failure == null)
                _log.LogWarning("Cannot listen on {Listener} for {Service}: {Error}{Holder}; retrying", d.Key, d.ServiceKey, error, holder != null ? $" (held by {holder})" : "");
            _failures[d.Key] = new BindFailure(attempts, now + delay, new PortConflict(d, error, holder));
        }
    }

    /// <summary>Stops every listener (open connections are left to end on their own).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values) _retiring.Add(listener.RetireAsync());
        _listeners.Clear();
        _balancers.Clear();
        _failures.Clear();
        // Retiring waits for open connections to drain; shutting down does not wait for them.
        await Task.WhenAny(Task.WhenAll(_retiring), Task.Delay(TimeSpan.FromSeconds(1)));
    }

    private sealed record BindFailure(int Attempts, DateTimeOffset NextAttempt, PortConflict Conflict);
}
