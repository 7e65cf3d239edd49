using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// LoadBalancer services on a home LAN, as k3s ServiceLB does it (DESIGN.md "LoadBalancer on a home LAN"): the
/// service port is served on the nodes themselves, so <c>status.loadBalancer.ingress</c> lists the IPs of the nodes
/// that can serve it, one entry per node with <c>ipMode: VIP</c>, sorted by address. A node serves when its Ready
/// condition is True, it is not cordoned and not labelled node.kubernetes.io/exclude-from-external-load-balancers;
/// once any node carries svccontroller.k3s.cattle.io/enablelb, only nodes with enablelb=true serve (k3s allow-list
/// mode). Its IP is its ExternalIP if it has one, else its InternalIP. With no such node the ingress is empty
/// (pending). Services with a loadBalancerClass belong to another implementation and are left alone; a service
/// that stops being type LoadBalancer has its ingress cleared. Writes go through the status subresource.
/// </summary>
public sealed class LoadBalancerStatusController : QueueController
{
    public const string EnableLbLabel = "svccontroller.k3s.cattle.io/enablelb";
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _services;
    private readonly Informer _nodes;

    public LoadBalancerStatusController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<LoadBalancerStatusController> log)
        : base("loadbalancer-status-controller", time, log, workers: 1)
    {
        _client = client;
        _events = events;
        _services = informers.For(Kinds.Service);
        _nodes = informers.For(Kinds.Node);

        _services.AddHandler(InformerHandler.Any(svc =>
        {
            if (IsOurs(svc) || HasIngress(svc)) Queue.Add(Informer.KeyOf(svc));
        }));
        _nodes.AddHandler(new InformerHandler(
            _ => QueueLoadBalancers(),
            (old, node) =>
            {
                if (!ReferenceEquals(old, node) && (Serves(old, true) != Serves(node, true) || NodeIp(old) != NodeIp(node) ||
                    old.Labels().GetValueOrDefault(EnableLbLabel) != node.Labels().GetValueOrDefault(EnableLbLabel)))
                    QueueLoadBalancers();
            },
            _ => QueueLoadBalancers()));
    }

    protected override IEnumerable<Informer> Informers => [_services, _nodes];

    private static bool IsOurs(JsonObject svc) =>
        ServiceFacts.TypeOf(svc) == "LoadBalancer" && svc["spec"].Str("loadBalancerClass") is null or "";

    private static bool HasIngress(JsonObject svc) => svc["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 };

    private void QueueLoadBalancers()
    {
        if (!_services.HasSynced) return;
        foreach (var svc in _services.List())
            if (IsOurs(svc)) Queue.Add(Informer.KeyOf(svc));
    }

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var svc = _services.Get(key);
        if (svc == null) return;

        JsonArray desired;
        if (IsOurs(svc)) desired = DesiredIngress(_nodes.List());
        else if (ServiceFacts.TypeOf(svc) != "LoadBalancer") desired = [];
        else return; // another load-balancer implementation owns this one

        var current = svc["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [];
        if (JsonCompare.Equal(current, desired)) return;

        var updated = svc.Clone();
        var lb = updated.Obj("status").Obj("loadBalancer");
        if (desired.Count > 0) lb["ingress"] = desired;
        else lb.Remove("ingress");
        await _client.UpdateStatusAsync(Kinds.Service, updated, ct);
        if (desired.Count > 0)
            await _events.RecordAsync(svc, EventRecorder.Normal, "UpdatedIngressIP",
                $"LoadBalancer Ingress IP addresses updated: {string.Join(", ", desired.Select(i => i.Str("ip")))}", ct);
    }

    /// <summary>One ingress entry per serving node, sorted by address (IPv4 before IPv6), duplicates dropped.</summary>
    public static JsonArray DesiredIngress(IEnumerable<JsonObject> nodes)
    {
        var all = nodes.ToList();
        var allowList = all.Any(n => n.Labels().ContainsKey(EnableLbLabel));
        var ips = all
            .Where(n => Serves(n, !allowList))
            .Select(NodeIp)
            .OfType<IPAddress>()
            .Distinct()
            .OrderBy(ip => ip.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0)
            .ThenBy(ip => Convert.ToHexString(ip.GetAddressBytes()), StringComparer.Ordinal);
        return new JsonArray(ips.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip.ToString(), ["ipMode"] = "VIP" }).ToArray());
    }

    private static bool Serves(JsonObject node, bool withoutAllowList)
    {
        if (node["spec"].Bool("unschedulable") == true) return false;
        if (node.Labels().ContainsKey(ExcludeLabel)) return false;
        if (!withoutAllowList && node.Labels().GetValueOrDefault(EnableLbLabel) != "true") return false;
        return PodStatus.Condition(node, "Ready")?.Str("status") == "True";
    }

    private static IPAddress? NodeIp(JsonObject node)
    {
        var addresses = (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var type in new[] { "ExternalIP", "InternalIP" })
            foreach (var a in addresses)
                if (a.Str("type") == type && IPAddress.TryParse(a.Str("address"), out var ip)) return ip;
        return null;
    }
}
