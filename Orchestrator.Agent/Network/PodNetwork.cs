using System.Net.Http;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Network;

/// <summary>
/// The Docker bridge network over this node's <c>spec.podCIDR</c>:
/// <list type="number">
/// <item>read this node's Node until the server's node IPAM has set <c>spec.podCIDR</c> (its IPv4 entry of
///   <c>podCIDRs</c> when there are two); it is immutable once set, so it is read once per process;</item>
/// <item>no network of our name → create it: bridge driver, subnet = podCIDR, gateway = its first address (the
///   host side of the bridge), bridge interface <see cref="PodNetworkOptions.BridgeName"/>;</item>
/// <item>a network of our name over the same subnet → use it as it is (an agent restart);</item>
/// <item>over another subnet (the node was re-created and got another CIDR) → recreate it when no container is
///   attached; otherwise log an error and keep the old one, since removing it would cut running pods off.</item>
/// </list>
/// Masquerading stays Docker's default (on): pods reach the outside world through the node's address.
/// Calls are serialised; each call after the first costs one local Docker inspect.
/// </summary>
public sealed class PodNetwork(
    DockerClient docker,
    IKubeClient client,
    NodeIdentity identity,
    TimeProvider time,
    ILogger<PodNetwork> log,
    PodNetworkOptions? options = null) : IPodNetwork, IDisposable
{
    public const string BridgeNameOption = "com.docker.network.bridge.name";
    public const string PodNetworkLabel = "orchestrator.io/pod-network";
    public const string NodeLabel = "orchestrator.io/node";

    private readonly PodNetworkOptions _options = options ?? new PodNetworkOptions();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Ipv4Cidr? _podCidr;

    public PodNetworkOptions Options => _options;

    /// <summary>The node's pod CIDR once it has been read; null before.</summary>
    public Ipv4Cidr? PodCidr => Volatile.Read(ref _podCidr);

    public async Task<string> EnsureAsync(CancellationToken ct)
    {
        var cidr = PodCidr ?? await WaitForPodCidrAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            await EnsureNetworkAsync(cidr, ct);
            return _options.NetworkName;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Step 1: polls the Node (the API may be unreachable for a while too) until it has a podCIDR.</summary>
    private async Task<Ipv4Cidr> WaitForPodCidrAsync(CancellationToken ct)
    {
        var logged = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            string? problem;
            try
            {
                var node = await client.GetAsync(Kinds.Node, null, identity.Name, ct);
                var spec = node?["spec"];
                var candidates = (spec?["podCIDRs"] as System.Text.Json.Nodes.JsonArray)?.Select(n => n?.GetValue<string>()).ToList() ?? [];
                candidates.Insert(0, spec.Str("podCIDR"));
                foreach (var text in candidates)
                {
                    if (Ipv4Cidr.TryParse(text, out var cidr))
                    {
                        Volatile.Write(ref _podCidr, cidr);
                        log.LogInformation("Node {Node} has pod CIDR {Cidr}", identity.Name, cidr);
                        return cidr;
                    }
                }
                problem = node is null
                    ? "the Node does not exist yet"
                    : candidates.Any(c => !string.IsNullOrEmpty(c))
                        ? $"no IPv4 pod CIDR among {string.Join(", ", candidates.Where(c => !string.IsNullOrEmpty(c)))}"
                        : "spec.podCIDR is not set yet";
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                problem = $"cannot read the Node: {e.Message}";
            }
            if (!logged)
            {
                log.LogInformation("Waiting for node {Node}'s pod CIDR ({Problem})", identity.Name, problem);
                logged = true;
            }
            await Task.Delay(_options.PodCidrPollInterval, time, ct);
        }
    }

    /// <summary>Steps 2-4.</summary>
    private async Task EnsureNetworkAsync(Ipv4Cidr cidr, CancellationToken ct)
    {
        var name = _options.NetworkName;
        var existing = await docker.TryInspectNetworkAsync(name, ct);
        if (existing is not null && existing.Name != name)
            existing = null; // Docker also matches ID prefixes; only our exact name counts.
        if (existing is null)
        {
            await CreateAsync(cidr, ct);
            return;
        }

        var subnets = existing.IPAM?.Config?.Select(c => c.Subnet).ToList() ?? [];
        var current = subnets.Select(s => Ipv4Cidr.TryParse(s, out var c) ? c : null).FirstOrDefault(c => c is not null);
        if (current == cidr)
        {
            var bridge = existing.Options?.GetValueOrDefault(BridgeNameOption);
            if (bridge != _options.BridgeName)
                log.LogWarning("Pod network {Network} uses bridge {Actual}, not {Wanted}; keeping it", name, bridge ?? "(docker's choice)", _options.BridgeName);
            return;
        }

        var attached = existing.Containers?.Count ?? 0;
        if (attached > 0)
        {
            log.LogError("Pod network {Network} is over {Old}, but this node's pod CIDR is {New}; {Count} containers still use it, " +
                         "so it stays as it is (remove them or the network to switch)", name, current?.ToString() ?? string.Join(",", subnets), cidr, attached);
            return;
        }
        log.LogWarning("Pod network {Network} is over {Old}, but this node's pod CIDR is {New}; recreating it", name,
            current?.ToString() ?? string.Join(",", subnets), cidr);
        try
        {
            await docker.RemoveNetworkAsync(existing.Id ?? name, ct);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
        }
        await CreateAsync(cidr, ct);
    }

    private async Task CreateAsync(Ipv4Cidr cidr, CancellationToken ct)
    {
        var labels = new Dictionary<string, string>(_options.Labels)
        {
            [PodNetworkLabel] = "true",
            [NodeLabel] = identity.Name,
        };
        var request = new NetworkCreateRequest
        {
            Name = _options.NetworkName,
            Driver = "bridge",
            CheckDuplicate = true,
            IPAM = new NetworkIpam
            {
                Driver = "default",
                Config = [new NetworkIpamConfig { Subnet = cidr.ToString(), Gateway = cidr.Gateway.ToString() }],
            },
            Options = new Dictionary<string, string> { [BridgeNameOption] = _options.BridgeName },
            Labels = labels,
        };
        try
        {
            var id = await docker.CreateNetworkAsync(request, ct);
            log.LogInformation("Created pod network {Network} ({Id}) over {Cidr} on bridge {Bridge}", _options.NetworkName,
                id[..Math.Min(12, id.Length)], cidr, _options.BridgeName);
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
            // Created meanwhile by another process (an agent that was being replaced); the next call checks it.
            log.LogInformation("Pod network {Network} appeared while creating it: {Message}", _options.NetworkName, e.DockerMessage);
        }
    }

    public void Dispose() => _gate.Dispose();
}
