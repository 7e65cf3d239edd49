using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy.Tcp;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// The node's L4 service proxy. Once the service view has synced it converges, for every snapshot:
/// <list type="number">
/// <item>reads the node's addresses and plans the listeners (<see cref="ListenerPlanner"/>);</item>
/// <item>converges the TCP listeners and balancers (<see cref="ProxyListenerSet"/>) and hands UDP listeners to
///   <see cref="IUdpServiceProxy"/>;</item>
/// <item>reports the ports that could not be bound, per service, when that set changes (<see cref="IPortConflictReporter"/>,
///   off the loop so a slow API server never delays the data path);</item>
/// <item>tells <see cref="NetworkProgrammingLatency"/> the snapshot is applied.</item>
/// </list>
/// Then it waits for the next snapshot (the view coalesces bursts), a bind retry falling due, or the periodic
/// address refresh, whichever comes first.
/// </summary>
public sealed class ServiceProxy : BackgroundService
{
    public const string Component = "proxy";

    private readonly IServiceView _view;
    private readonly IUdpServiceProxy _udp;
    private readonly IPortConflictReporter _reporter;
    private readonly NetworkProgrammingLatency _latency;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceProxy> _log;
    private readonly ServiceProxyOptions _options;
    private readonly NodeAddressSource _addresses;
    private readonly ProxyListenerSet _set;
    private readonly Dictionary<string, string> _reported = new(StringComparer.Ordinal);
    private readonly Channel<(string Service, IReadOnlyList<PortConflict> Conflicts)> _reports =
        Channel.CreateUnbounded<(string, IReadOnlyList<PortConflict>)>(new UnboundedChannelOptions { SingleReader = true });
    private NodeAddressSet? _lastAddresses;

    public ServiceProxy(IServiceView view, IUdpServiceProxy udp, IPortConflictReporter reporter, NetworkProgrammingLatency latency,
        TimeProvider time, ILoggerFactory loggers, IOptions<ServiceProxyOptions> options)
    {
        _view = view;
        _udp = udp;
        _reporter = reporter;
        _latency = latency;
        _time = time;
        _log = loggers.CreateLogger<ServiceProxy>();
        _options = options.Value;
        _addresses = new NodeAddressSource(_options);
        var transport = new SocketTransportOptions
        {
            Backlog = _options.Backlog,
            NoDelay = true,
            MaxReadBufferSize = _options.MaxReadBufferSize,
            UnsafePreferInlineScheduling = _options.InlineScheduling,
            IOQueueCount = _options.IoQueueCount,
            WaitForDataBeforeAllocatingBuffer = _options.WaitForDataBeforeAllocatingBuffer,
            CreateBoundListenSocket = endPoint => ListenSocketFactory.Create(endPoint, _options.FreeBind),
        };
        IConnectionListenerFactory factory = new SocketTransportFactory(Options.Create(transport), loggers);
        var forwarder = new TcpForwarder(_options, time, loggers.CreateLogger<TcpForwarder>());
        _set = new ProxyListenerSet(_options, factory, forwarder, time, _log);
    }

    /// <summary>The live listeners and balancers (for tests and diagnostics; read from the proxy loop's thread only).</summary>
    public ProxyListenerSet Listeners => _set;

    /// <summary>The version of the last snapshot applied.</summary>
    public long AppliedVersion { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!_options.Enabled)
        {
            _log.LogWarning("Service proxy is disabled ({Section}:Enabled=false): this node serves no cluster IP, node port or LoadBalancer IP", ServiceProxyOptions.Section);
            return;
        }
        _latency.Register(Component);
        var reporting = Task.Run(() => ReportLoopAsync(ct), CancellationToken.None);
        try
        {
            var snapshot = await _view.WaitForChangeAsync(0, ct);
            var change = _view.WaitForChangeAsync(snapshot.Version, ct);
            while (!ct.IsCancellationRequested)
            {
                await ApplyAsync(snapshot, ct);
                AppliedVersion = snapshot.Version;
                _latency.Applied(Component, snapshot);

                var wait = _options.AddressRefresh;
                if (_set.NextRetry is { } retry) wait = TimeSpan.FromTicks(Math.Clamp((retry - _time.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(10).Ticks, wait.Ticks));
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var timer = Task.Delay(wait, _time, delay.Token);
                await Task.WhenAny(change, timer);
                await delay.CancelAsync();
                if (change.IsCompleted)
                {
                    snapshot = await change;
                    change = _view.WaitForChangeAsync(snapshot.Version, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _reports.Writer.TryComplete();
            await _set.DisposeAsync();
            await reporting;
        }
    }

    private async Task ApplyAsync(ClusterServices snapshot, CancellationToken ct)
    {
        var addresses = _addresses.Read(snapshot.Settings);
        if (_lastAddresses == null || !_lastAddresses.SameAs(addresses))
            _log.LogInformation("Node ports on {Addresses}", string.Join(", ", addresses.NodePort));
        _lastAddresses = addresses;

        var plan = ListenerPlanner.Plan(snapshot, addresses);
        var tcp = plan.Listeners.Values.Where(l => l.Key.Protocol == "TCP").ToList();
        var udp = plan.Listeners.Values.Where(l => l.Key.Protocol == "UDP").ToList();
        var conflicts = new List<PortConflict>(await _set.ApplyAsync(snapshot, tcp, ct));
        try
        {
            conflicts.AddRange(await _udp.ApplyAsync(snapshot, udp, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "The UDP proxy failed to apply snapshot {Version}", snapshot.Version);
        }
        foreach (var lost in plan.Collisions)
        {
            var winner = plan.Listeners[lost.Key];
            conflicts.Add(new PortConflict(lost, $"also claimed by service {winner.ServiceKey}", null));
        }
        QueueReports(conflicts);
    }

    private void QueueReports(List<PortConflict> conflicts)
    {
        var byService = conflicts.GroupBy(c => c.Listener.ServiceKey)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PortConflict>)g.OrderBy(c => c.Listener.Key.ToString(), StringComparer.Ordinal).ToList());
        foreach (var (service, list) in byService)
        {
            var text = string.Join("\n", list.Select(c => c.Describe()));
            if (_reported.GetValueOrDefault(service) == text) continue;
            _reported[service] = text;
            _reports.Writer.TryWrite((service, list));
        }
        foreach (var cleared in _reported.Keys.Where(k => !byService.ContainsKey(k)).ToList())
        {
            _reported.Remove(cleared);
            _reports.Writer.TryWrite((cleared, []));
        }
    }

    private async Task ReportLoopAsync(CancellationToken ct)
    {
        await foreach (var (service, conflicts) in _reports.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (ct.IsCancellationRequested) return;
            try
            {
                await _reporter.ReportAsync(service, conflicts, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning(e, "Reporting port conflicts of {Service} failed", service);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
