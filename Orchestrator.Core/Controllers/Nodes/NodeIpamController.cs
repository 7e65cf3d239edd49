using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// Gives every Node a pod CIDR from the cluster CIDR, as upstream's node IPAM controller (range allocator) does.
/// Keyed by node name; a sync:
/// <list type="number">
/// <item>first of all (once per instance, after the node cache synced) marks every CIDR the nodes already carry as
///   used, whoever set it (an earlier instance, the node simulator, an admin): nothing survives a restart but the
///   Nodes themselves;</item>
/// <item>a deleted node → its subnets are released, and nodes still waiting for a CIDR are queued again;</item>
/// <item>a node with <c>spec.podCIDR</c> → that CIDR is recorded as its own (a CIDR outside the cluster CIDR is
///   left alone);</item>
/// <item>a node without → the subnet reserved for it earlier, or the next free one, is written to
///   <c>spec.podCIDR</c> and <c>spec.podCIDRs</c> (a PUT with the node's resourceVersion; on a conflict the node is
///   re-read, and if someone set a CIDR meanwhile, theirs wins and ours is released);</item>
/// <item>none free → an Event <c>CIDRNotAvailable</c> on the node; it is retried when a node goes away.</item>
/// </list>
/// The reservation per node name is what keeps a node that the cache still shows without a CIDR (our write not yet
/// observed) from getting a second one.
/// </summary>
public sealed class NodeIpamController : QueueController
{
    private const int WriteAttempts = 3;

    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _nodes;
    private readonly PodCidrSet _cidrs;
    private readonly object _lock = new();
    // node name → the CIDR it holds (written, observed or reserved) and the subnets that covers.
    private readonly Dictionary<string, (string Cidr, int[] Indices)> _byNode = new(StringComparer.Ordinal);
    private bool _rebuilt;

    public NodeIpamController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time,
        ILogger<NodeIpamController> log, NodeIpamOptions options)
        : base("node-ipam", time, log)
    {
        _client = client;
        _events = events;
        _cidrs = new PodCidrSet(options.ClusterCidr, options.NodeCidrMaskSize);
        _nodes = informers.For(Kinds.Node);
        _nodes.AddHandler(InformerHandler.Any(n => Queue.Add(n.Name()!)));
    }

    protected override IEnumerable<Informer> Informers => [_nodes];

    /// <summary>The CIDR this controller holds for a node (diagnostics and tests).</summary>
    public string? CidrOf(string node)
    {
        lock (_lock)
            return _byNode.TryGetValue(node, out var held) ? held.Cidr : null;
    }

    /// <summary>How many node subnets are in use and how many there are.</summary>
    public (int Used, int Capacity) Usage
    {
        get
        {
            lock (_lock)
                return (_cidrs.Used, _cidrs.Capacity);
        }
    }

    protected override async Task SyncAsync(string name, CancellationToken ct)
    {
        RebuildOnce();
        var node = _nodes.Get(name);

        // 2. Gone.
        if (node is null)
        {
            if (Forget(name) is { } freed)
            {
                Log.LogInformation("Node {Node} is gone; released pod CIDR {Cidr}", name, freed);
                foreach (var waiting in _nodes.List().Where(n => PodCidrOf(n) is null))
                    Queue.Add(waiting.Name()!);
            }
            return;
        }

        // 3. Has one.
        if (PodCidrOf(node) is { } set)
        {
            Record(name, set);
            return;
        }

        // 4. Needs one.
        var cidr = Reserve(name);
        if (cidr is null)
        {
            Log.LogWarning("No pod CIDR left in {Cluster} for node {Node}", _cidrs.ClusterCidr, name);
            await _events.RecordAsync(node, EventRecorder.Normal, "CIDRNotAvailable", $"Node {name} status is now: CIDRNotAvailable", ct);
            return;
        }
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            if (attempt > 0)
            {
                node = await _client.GetAsync(Kinds.Node, null, name, ct);
                if (node is null)
                {
                    Forget(name);
                    return;
                }
                if (PodCidrOf(node) is { } theirs)
                {
                    Record(name, theirs);
                    return;
                }
            }
            var updated = node.Clone();
            var spec = updated.Obj("spec");
            spec["podCIDR"] = cidr;
            spec["podCIDRs"] = new JsonArray(cidr);
            try
            {
                await _client.UpdateAsync(Kinds.Node, updated, ct);
                Log.LogInformation("Node {Node} gets pod CIDR {Cidr}", name, cidr);
                return;
            }
            catch (ApiException e) when (e.Code == 409)
            {
                Log.LogDebug("Node {Node} changed while setting its pod CIDR; re-reading", name);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                Forget(name);
                return;
            }
        }
        // Still conflicting: the queue retries with back-off; the reservation stays.
        throw new InvalidOperationException($"node {name} kept changing while its pod CIDR was set");
    }

    /// <summary>Step 1.</summary>
    private void RebuildOnce()
    {
        lock (_lock)
        {
            if (_rebuilt)
                return;
            _rebuilt = true;
            foreach (var node in _nodes.List())
                if (PodCidrOf(node) is { } cidr)
                    RecordLocked(node.Name()!, cidr);
            Log.LogInformation("Node IPAM over {Cluster} (/{Mask} per node): {Used} of {Capacity} subnets in use",
                _cidrs.ClusterCidr, _cidrs.NodeMaskSize, _cidrs.Used, _cidrs.Capacity);
        }
    }

    /// <summary>The node's own podCIDR, or the first of podCIDRs.</summary>
    private static string? PodCidrOf(JsonObject node)
    {
        var spec = node["spec"];
        if (spec.Str("podCIDR") is { Length: > 0 } cidr)
            return cidr;
        return (spec?["podCIDRs"] as JsonArray)?.Select(c => c?.GetValue<string>()).FirstOrDefault(c => !string.IsNullOrEmpty(c));
    }

    private void Record(string name, string cidr)
    {
        lock (_lock)
            RecordLocked(name, cidr);
    }

    private void RecordLocked(string name, string cidr)
    {
        if (_byNode.TryGetValue(name, out var held))
        {
            if (held.Cidr == cidr)
                return;
            _cidrs.Release(held.Indices);
            _byNode.Remove(name);
        }
        if (_cidrs.TryOccupy(cidr, out var indices))
        {
            if (indices.Any(i => _byNode.Values.Any(v => v.Indices.Contains(i))))
                Log.LogWarning("Node {Node}'s pod CIDR {Cidr} overlaps another node's", name, cidr);
            _byNode[name] = (cidr, indices);
        }
        else
        {
            Log.LogDebug("Node {Node}'s pod CIDR {Cidr} is outside the cluster CIDR {Cluster}; not tracked", name, cidr, _cidrs.ClusterCidr);
        }
    }

    /// <summary>The CIDR held for <paramref name="name"/>, or a newly allocated one; null when none is free.</summary>
    private string? Reserve(string name)
    {
        lock (_lock)
        {
            if (_byNode.TryGetValue(name, out var held))
                return held.Cidr;
            if (_cidrs.AllocateNext() is not { } index)
                return null;
            var cidr = _cidrs.Format(index);
            _byNode[name] = (cidr, [index]);
            return cidr;
        }
    }

    /// <summary>Releases what <paramref name="name"/> held; returns the CIDR, or null when it held none.</summary>
    private string? Forget(string name)
    {
        lock (_lock)
        {
            if (!_byNode.Remove(name, out var held))
                return null;
            _cidrs.Release(held.Indices);
            return held.Cidr;
        }
    }
}
