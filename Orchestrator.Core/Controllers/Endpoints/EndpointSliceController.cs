using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Keeps discovery.k8s.io/v1 EndpointSlices for every Service with a selector (upstream's endpointslice
/// controller). Slices are named <c>&lt;service&gt;-&lt;5 chars&gt;</c>, labelled kubernetes.io/service-name and
/// managed-by endpointslice-controller.k8s.io, controlled by the Service, hold at most 100 endpoints each and one
/// port list each (pods whose named ports resolve differently land in different slices). One sync:
/// <list type="number">
/// <item>service gone, ExternalName or without selector: delete the slices this controller made for it;</item>
/// <item>refuse to plan on a cache that does not yet show our last writes (<see cref="EndpointSliceTracker"/>);</item>
/// <item>every selected pod with an IP that has not finished becomes an endpoint with conditions
///   ready (Ready and not terminating, or publishNotReadyAddresses), serving (Ready) and terminating
///   (deletionTimestamp set); pods on a node the cache does not know are left out and the sync retried later;</item>
/// <item><see cref="EndpointSlicePlanner"/> decides the writes, <see cref="SliceWriter"/> makes them.</item>
/// </list>
/// </summary>
public sealed class EndpointSliceController : QueueController
{
    private readonly IKubeClient _client;
    private readonly Informer _services;
    private readonly Informer _pods;
    private readonly Informer _slices;
    private readonly Informer _nodes;
    private readonly EndpointSliceTracker _tracker = new();
    private readonly TriggerTimeTracker _triggers = new();
    private readonly EndpointSlicePlanner _planner;

    public EndpointSliceController(InformerFactory informers, IKubeClient client, TimeProvider time, ILogger<EndpointSliceController> log)
        : base("endpointslice-controller", time, log)
    {
        _client = client;
        _planner = new EndpointSlicePlanner();
        _services = informers.For(Kinds.Service);
        _pods = informers.For(Kinds.Pod);
        _slices = informers.For(Kinds.EndpointSlice);
        _nodes = informers.For(Kinds.Node);

        _services.AddHandler(InformerHandler.Any(svc => Queue.Add(Informer.KeyOf(svc))));
        _pods.AddHandler(new InformerHandler(OnPod, OnPodUpdate, OnPod));
        _slices.AddHandler(new InformerHandler(OnSlice, (_, s) => OnSlice(s), OnSliceDelete));
        _nodes.AddHandler(new InformerHandler(
            _ => QueueAllServices(),
            (old, node) =>
            {
                if (old.Labels().GetValueOrDefault(DiscoveryConventions.ZoneLabel) != node.Labels().GetValueOrDefault(DiscoveryConventions.ZoneLabel))
                    QueueAllServices();
            },
            _ => QueueAllServices()));
    }

    protected override IEnumerable<Informer> Informers => [_services, _pods, _slices, _nodes];

    private void OnPod(JsonObject pod)
    {
        foreach (var key in ServiceFacts.KeysSelecting(_services, pod)) Queue.Add(key);
    }

    private void OnPodUpdate(JsonObject oldPod, JsonObject pod)
    {
        if (ReferenceEquals(oldPod, pod) || oldPod.ResourceVersion() == pod.ResourceVersion()) return;
        var keys = ServiceFacts.KeysSelecting(_services, pod).ToHashSet(StringComparer.Ordinal);
        if (!JsonCompare.SameMap(oldPod.Labels(), pod.Labels())) keys.UnionWith(ServiceFacts.KeysSelecting(_services, oldPod));
        foreach (var key in keys) Queue.Add(key);
    }

    private void OnSlice(JsonObject slice)
    {
        if (!EndpointSlices.IsManagedBy(slice, DiscoveryConventions.SliceControllerName)) return;
        if (EndpointSlices.ServiceKeyOf(slice) is { } key && _tracker.ShouldSync(key, slice)) Queue.Add(key);
    }

    private void OnSliceDelete(JsonObject slice)
    {
        if (!EndpointSlices.IsManagedBy(slice, DiscoveryConventions.SliceControllerName)) return;
        if (EndpointSlices.ServiceKeyOf(slice) is { } key && !_tracker.HandleDeletion(key, slice)) Queue.Add(key);
    }

    private void QueueAllServices()
    {
        if (!_services.HasSynced) return;
        foreach (var svc in _services.List())
            if (ServiceFacts.HasSelector(svc)) Queue.Add(Informer.KeyOf(svc));
    }

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/');
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var svc = _services.Get(key);
        var existing = EndpointSlices.Managed(_slices, ns, name, DiscoveryConventions.SliceControllerName);

        if (svc == null || ServiceFacts.IsExternalName(svc) || !ServiceFacts.HasSelector(svc))
        {
            // Upstream leaves this to the garbage collector (slices are owned by the service); doing it here too
            // keeps the result right when no collector runs, and covers a selector removed from a live service.
            foreach (var slice in existing) await SliceWriter.DeleteAsync(_client, _tracker, key, slice, ct);
            if (svc == null)
            {
                _tracker.Forget(key);
                _triggers.Forget(key);
            }
            return;
        }

        if (_tracker.IsStale(key, existing))
            throw new StaleCacheException($"endpointslice cache of {key} does not show the last writes yet");

        var selector = ServiceFacts.Selector(svc);
        var pods = _pods.List(ns).Where(p => selector.Matches(p.Labels())).ToList();
        var trigger = _triggers.Compute(key, svc, pods);
        var labels = DesiredLabels(svc);
        var ownerRef = OwnerReferences.NewControllerRef(svc);
        ownerRef["apiVersion"] ??= "v1";
        ownerRef["kind"] ??= "Service";

        var changes = new SliceChanges();
        var missingNodes = new SortedSet<string>(StringComparer.Ordinal);
        var addressTypes = ServiceFacts.AddressTypes(svc);
        foreach (var addressType in addressTypes)
        {
            var desired = Desired(svc, pods, addressType, missingNodes);
            var ofType = existing.Where(s => s.Str("addressType") == addressType).ToList();
            changes.Add(_planner.Plan(svc, ownerRef, labels, addressType, ofType, desired));
        }
        // Slices of an address type the service no longer has.
        changes.ToDelete.AddRange(existing.Where(s => !addressTypes.Contains(s.Str("addressType") ?? "")));

        if (!changes.IsEmpty)
        {
            var stamp = trigger is { } t ? TriggerTimeTracker.Format(t) : null;
            var deleting = svc["metadata"]?["deletionTimestamp"] != null;
            await SliceWriter.ApplyAsync(_client, _tracker, key, ns, changes, stamp, allowCreate: !deleting, ct);
        }

        if (missingNodes.Count > 0)
            throw new InvalidOperationException($"pods of {key} run on nodes not (yet) known: {string.Join(", ", missingNodes)}; they were left out");
    }

    /// <summary>Step 3: the desired endpoints of one address type, grouped by their resolved port list.</summary>
    private Dictionary<string, SliceEndpointGroup> Desired(JsonObject svc, List<JsonObject> pods, string addressType, ISet<string> missingNodes)
    {
        var publishNotReady = ServiceFacts.PublishNotReadyAddresses(svc);
        var groups = new Dictionary<string, SliceEndpointGroup>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!PodEndpoints.ShouldBeInEndpoints(pod, includeTerminating: true)) continue;
            JsonObject? node = null;
            if (pod["spec"].Str("nodeName") is { Length: > 0 } nodeName)
            {
                node = _nodes.Get(nodeName);
                if (node == null && !publishNotReady)
                {
                    missingNodes.Add(nodeName);
                    continue;
                }
            }
            if (PodEndpoints.IpFor(pod, addressType) is not { } ip) continue;

            var ports = PortsFor(svc, pod);
            var key = EndpointSlices.PortsKey(ports);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = new SliceEndpointGroup(ports);
            group.Add(ToEndpoint(svc, pod, node, ip));
        }
        return groups;
    }

    /// <summary>Every service port this pod resolves (unresolvable named ports are skipped, as upstream).</summary>
    public static JsonArray PortsFor(JsonObject svc, JsonObject pod)
    {
        var ports = new JsonArray();
        foreach (var servicePort in ServiceFacts.Ports(svc))
        {
            if (PodEndpoints.FindPort(pod, servicePort) is not { } number) continue;
            var port = new JsonObject
            {
                ["name"] = servicePort.Str("name") ?? "",
                ["port"] = number,
                ["protocol"] = servicePort.Str("protocol") is { Length: > 0 } protocol ? protocol : "TCP",
            };
            if (servicePort.Str("appProtocol") is { Length: > 0 } app) port["appProtocol"] = app;
            ports.Add(port);
        }
        return ports;
    }

    public static JsonObject ToEndpoint(JsonObject svc, JsonObject pod, JsonObject? node, string ip)
    {
        var serving = PodStatus.IsReady(pod);
        var terminating = PodStatus.IsTerminating(pod);
        // Never ready while terminating, unless the service publishes not-ready addresses anyway.
        var ready = ServiceFacts.PublishNotReadyAddresses(svc) || (serving && !terminating);
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(ip),
            ["conditions"] = new JsonObject { ["ready"] = ready, ["serving"] = serving, ["terminating"] = terminating },
        };
        if (PodEndpoints.ShouldSetHostname(pod, svc)) endpoint["hostname"] = pod["spec"].Str("hostname");
        endpoint["targetRef"] = PodEndpoints.TargetRef(pod);
        if (pod["spec"].Str("nodeName") is { Length: > 0 } nodeName) endpoint["nodeName"] = nodeName;
        if (node?.Labels().GetValueOrDefault(DiscoveryConventions.ZoneLabel) is { Length: > 0 } zone) endpoint["zone"] = zone;
        return endpoint;
    }

    /// <summary>The service's labels without the reserved ones, plus service-name, managed-by and the headless marker.</summary>
    public static Dictionary<string, string> DesiredLabels(JsonObject svc)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in svc.Labels())
            if (k is not (DiscoveryConventions.ServiceNameLabel or DiscoveryConventions.ManagedByLabel or DiscoveryConventions.HeadlessLabel))
                labels[k] = v;
        if (ServiceFacts.IsHeadless(svc)) labels[DiscoveryConventions.HeadlessLabel] = "";
        labels[DiscoveryConventions.ServiceNameLabel] = svc.Name() ?? "";
        labels[DiscoveryConventions.ManagedByLabel] = DiscoveryConventions.SliceControllerName;
        return labels;
    }
}
