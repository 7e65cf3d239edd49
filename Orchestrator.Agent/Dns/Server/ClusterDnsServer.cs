using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// The node's cluster DNS responder: UDP and TCP listeners on the cluster DNS IP, port 53 (or
/// <see cref="ClusterDnsOptions.ListenAddress"/>/<see cref="ClusterDnsOptions.ListenPort"/>), answering from
/// <see cref="IServiceView.Current"/> through <see cref="ClusterDnsResponder"/>; never from the API on the query path.
/// <list type="number">
/// <item>Listen at once, on the address of the current snapshot (the default DNS IP before the first sync): queries
///   get SERVFAIL until the view has synced rather than no answer.</item>
/// <item>On every snapshot: hand it to the responder (a new <see cref="ClusterDnsZone"/>), report it to
///   <see cref="NetworkProgrammingLatency"/> and re-bind when the DNS IP changed.</item>
/// <item>A bind that fails (port taken, no permission) is logged and retried every
///   <see cref="ClusterDnsOptions.BindRetrySeconds"/>; the sockets use IP_FREEBIND so a not-yet-programmed address is
///   no reason to fail.</item>
/// </list>
/// With ListenPort 0 the UDP port is picked by the kernel and TCP binds the same number (tests).
/// </summary>
public sealed class ClusterDnsServer : BackgroundService
{
    public const string Component = "dns";

    private readonly IServiceView _view;
    private readonly ClusterDnsResponder _responder;
    private readonly UpstreamResolver _upstream;
    private readonly NetworkProgrammingLatency _latency;
    private readonly ClusterDnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterDnsServer> _log;
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private UdpDnsListener? _udp;
    private TcpDnsListener? _tcp;
    private IPEndPoint? _wanted;
    private bool _bindWarned;

    public ClusterDnsServer(IServiceView view, ClusterDnsResponder responder, UpstreamResolver upstream, NetworkProgrammingLatency latency,
        IOptions<ClusterDnsOptions> options, TimeProvider time, ILogger<ClusterDnsServer> log)
    {
        _view = view;
        _responder = responder;
        _upstream = upstream;
        _latency = latency;
        _options = options.Value;
        _time = time;
        _log = log;
    }

    /// <summary>Completes with the bound endpoint (UDP and TCP) the first time the listeners are up.</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    /// <summary>The endpoint both listeners are bound to, or null while binding fails.</summary>
    public IPEndPoint? BoundEndPoint => _udp?.LocalEndPoint;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        _latency.Register(Component);
        var applied = -1L;
        var appliedSynced = false;
        Task<ClusterServices>? next = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var snapshot = _view.Current;
                var synced = _view.Synced;
                if (snapshot.Version != applied || synced != appliedSynced)
                {
                    try
                    {
                        _responder.Apply(snapshot, synced);
                    }
                    catch (Exception e) when (e is ArgumentException or FormatException)
                    {
                        // A snapshot we cannot turn into a zone keeps the previous one serving; the next change retries.
                        _log.LogError(e, "ClusterDns: snapshot {Version} not applied", snapshot.Version);
                    }

                    applied = snapshot.Version;
                    appliedSynced = synced;
                    if (synced) _latency.Applied(Component, snapshot);
                }

                var wanted = Wanted(snapshot);
                if (!wanted.Equals(_wanted) || _udp == null) await BindAsync(wanted, snapshot.Settings.ClusterDns);

                next ??= _view.WaitForChangeAsync(synced ? applied : 0, ct);
                if (_udp == null) await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(Math.Max(1, _options.BindRetrySeconds)), _time, ct));
                else await next;
                if (next.IsCompleted)
                {
                    await next; // observe cancellation
                    next = null;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await UnbindAsync();
        }
    }

    private IPEndPoint Wanted(ClusterServices snapshot)
    {
        var address = IPAddress.TryParse(_options.ListenAddress, out var configured) ? configured : snapshot.Settings.ClusterDns;
        return new IPEndPoint(address, _options.ListenPort);
    }

    private async Task BindAsync(IPEndPoint wanted, IPAddress clusterDns)
    {
        var changed = !wanted.Equals(_wanted);
        await UnbindAsync();
        _wanted = wanted;
        if (changed) _bindWarned = false;
        UdpDnsListener? udp = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                udp = UdpDnsListener.Start(wanted, _responder, _options, _log);
                // Port 0: TCP takes the port the kernel gave UDP.
                var tcp = TcpDnsListener.Start(udp.LocalEndPoint, _responder, _options, _time, _log);
                _udp = udp;
                _tcp = tcp;
                break;
            }
            catch (SocketException e)
            {
                if (udp != null) await udp.DisposeAsync();
                udp = null;
                if (wanted.Port == 0 && e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20) continue;
                if (!_bindWarned) _log.LogWarning("ClusterDns: cannot listen on {Endpoint} ({Error}); retrying every {Seconds}s", wanted, e.SocketErrorCode, _options.BindRetrySeconds);
                _bindWarned = true;
                _upstream.SetLocalAddresses(clusterDns, wanted);
                return;
            }
        }

        var bound = _udp!.LocalEndPoint;
        _upstream.SetLocalAddresses(clusterDns, bound);
        _log.LogInformation("ClusterDns: listening on {Endpoint} (UDP and TCP)", bound);
        _listening.TrySetResult(bound);
    }

    private async Task UnbindAsync()
    {
        if (_udp != null) await _udp.DisposeAsync();
        if (_tcp != null) await _tcp.DisposeAsync();
        _udp = null;
        _tcp = null;
    }
}
