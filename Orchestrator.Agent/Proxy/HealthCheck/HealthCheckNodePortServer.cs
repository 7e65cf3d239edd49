using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// Serves <c>spec.healthCheckNodePort</c> of every Service that has one (type LoadBalancer with
/// externalTrafficPolicy Local): an external load balancer probes the port on each node and sends traffic only to
/// nodes answering 200, i.e. those with a ready endpoint of the service. Like kube-proxy's health-check server.
/// <list type="number">
/// <item>Wait for a synced snapshot of the <see cref="IServiceView"/> newer than the one applied.</item>
/// <item>Desired state: port → (service, ready endpoints on this node); addresses: the configured list, else every
///   local IPv4 address outside the service CIDR (cluster IPs live on <c>lo</c> and must not answer).</item>
/// <item>Converge: close ports no service wants, swap the status of kept ports (listeners stay up), open new ones. A
///   port that cannot be bound is logged and tried again after <see cref="HealthCheckNodePortOptions.HealthCheckRetryInterval"/>,
///   never silently skipped.</item>
/// </list>
/// </summary>
public sealed class HealthCheckNodePortServer(
    IServiceView view,
    IOptions<HealthCheckNodePortOptions> options,
    TimeProvider time,
    ILogger<HealthCheckNodePortServer> logger) : BackgroundService
{
    private readonly HealthCheckNodePortOptions _options = options.Value;
    private readonly Dictionary<int, HealthCheckPort> _ports = [];

    /// <summary>The ports being served and the addresses each is bound on (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<int, IReadOnlyCollection<IPAddress>> Served
    {
        get
        {
            lock (_ports) return _ports.ToDictionary(p => p.Key, p => (IReadOnlyCollection<IPAddress>)p.Value.BoundAddresses.ToList());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled || !_options.HealthCheckEnabled)
        {
            logger.LogInformation("Health-check node ports are off (ServiceProxy:Enabled={Enabled}, ServiceProxy:HealthCheckEnabled={HealthCheck})",
                _options.Enabled, _options.HealthCheckEnabled);
            return;
        }
        long applied = -1;
        var retry = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ClusterServices snapshot;
                if (retry)
                {
                    // Something could not be bound: wake up for the next change or the retry interval, whichever first.
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    using var timer = time.CreateTimer(_ => wait.Cancel(), null, _options.HealthCheckRetryInterval, Timeout.InfiniteTimeSpan);
                    try
                    {
                        snapshot = await view.WaitForChangeAsync(applied, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        snapshot = view.Current;
                    }
                }
                else
                {
                    snapshot = await view.WaitForChangeAsync(applied, stoppingToken).ConfigureAwait(false);
                }
                retry = !await ApplyAsync(snapshot).ConfigureAwait(false);
                applied = snapshot.Version;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            List<HealthCheckPort> ports;
            lock (_ports)
            {
                ports = [.. _ports.Values];
                _ports.Clear();
            }
            foreach (var p in ports) await p.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Converges the listeners on <paramref name="snapshot"/>; false when some port or address could not be bound.</summary>
    private async Task<bool> ApplyAsync(ClusterServices snapshot)
    {
        var desired = DesiredPorts(snapshot);
        var addresses = ListenAddresses(snapshot.Settings.ServiceCidr);
        var complete = true;

        List<HealthCheckPort> removed;
        lock (_ports)
        {
            removed = _ports.Where(p => !desired.ContainsKey(p.Key)).Select(p => p.Value).ToList();
            foreach (var p in removed) _ports.Remove(p.Port);
        }
        foreach (var p in removed)
        {
            await p.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("Health-check node port {Port} closed", p.Port);
        }

        foreach (var (port, status) in desired)
        {
            HealthCheckPort? served;
            lock (_ports)
            {
                if (!_ports.TryGetValue(port, out served)) _ports[port] = served = new HealthCheckPort(port, status, logger);
            }
            served.Status = status;
            var failures = await served.ConvergeAsync(addresses).ConfigureAwait(false);
            foreach (var (address, error) in failures)
            {
                complete = false;
                logger.LogWarning("Health-check node port {Port} of service {Namespace}/{Name} cannot listen on {Address}: {Error}; retrying",
                    port, status.Namespace, status.Name, address, error);
            }
        }
        return complete;
    }

    /// <summary>Port → status for every service with a health-check node port (the first service by key wins a clash).</summary>
    public static Dictionary<int, HealthCheckStatus> DesiredPorts(ClusterServices snapshot)
    {
        var result = new Dictionary<int, HealthCheckStatus>();
        foreach (var service in snapshot.Services.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (service.HealthCheckNodePort is <= 0 or > 65535 || result.ContainsKey(service.HealthCheckNodePort)) continue;
            var local = service.Endpoints
                .Where(e => e.Ready && e.NodeName == snapshot.NodeName)
                .Select(e => e.Address)
                .Distinct()
                .Count();
            result[service.HealthCheckNodePort] = new HealthCheckStatus(service.Namespace, service.Name, local);
        }
        return result;
    }

    private IReadOnlyCollection<IPAddress> ListenAddresses(Ipv4Cidr serviceCidr)
    {
        if (_options.HealthCheckAddresses.Count > 0)
            return _options.HealthCheckAddresses.Select(IPAddress.Parse).ToHashSet();
        var result = new HashSet<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var a = unicast.Address;
                if (a.AddressFamily == AddressFamily.InterNetwork && !InCidr(a, serviceCidr)) result.Add(a);
            }
        }
        return result;
    }

    private static bool InCidr(IPAddress address, Ipv4Cidr cidr)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var mask = cidr.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - cidr.PrefixLength);
        return (value & mask) == cidr.Network;
    }
}
