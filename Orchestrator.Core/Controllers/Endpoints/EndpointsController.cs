using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Keeps an Endpoints object, named after the Service, for every Service with a selector (upstream's endpoints
/// controller). One sync of a service key:
/// <list type="number">
/// <item>service gone: delete the Endpoints of that name (whoever wrote it, as upstream);</item>
/// <item>ExternalName or no selector: leave the Endpoints to the user;</item>
/// <item>for each selected pod with an IP that is not finished (nor terminating, unless publishNotReadyAddresses),
///   resolve every service port on that pod and record (address, ready, port); ready means the pod's Ready
///   condition, or always with publishNotReadyAddresses;</item>
/// <item>repack into subsets, truncate to 1000 addresses (annotation over-capacity=truncated), label with the
///   service's labels plus service.kubernetes.io/headless for headless services;</item>
/// <item>compare with the cached Endpoints and write only when subsets, labels or the capacity annotation differ.</item>
/// </list>
/// At start every existing Endpoints key is synced once too, so Endpoints left behind by a service deleted while
/// no controller ran are removed.
/// </summary>
public sealed class EndpointsController : QueueController
{
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _services;
    private readonly Informer _pods;
    private readonly Informer _endpoints;
    private readonly TriggerTimeTracker _triggers = new();

    /// <summary>Per key, the resourceVersion our last update replaced: seeing it in the cache again means the cache lags.</summary>
    private readonly ConcurrentDictionary<string, string> _replaced = new(StringComparer.Ordinal);

    public EndpointsController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<EndpointsController> log)
        : base("endpoints-controller", time, log)
    {
        _client = client;
        _events = events;
        _services = informers.For(Kinds.Service);
        _pods = informers.For(Kinds.Pod);
        _endpoints = informers.For(Kinds.Endpoints);

        _services.AddHandler(InformerHandler.Any(svc => Queue.Add(Informer.KeyOf(svc))));
        _pods.AddHandler(new InformerHandler(OnPod, OnPodUpdate, OnPod));
        _endpoints.AddHandler(new InformerHandler(
            onAdd: ep =>
            {
                // Only the initial list: a leftover check, as upstream's checkLeftoverEndpoints at start.
                if (!_endpoints.HasSynced && !HasLeaderAnnotation(ep)) Queue.Add(Informer.KeyOf(ep));
            },
            onUpdate: (old, ep) =>
            {
                // Someone edited an Endpoints we manage: put it back (no-op when it is already what we want).
                if (old.ResourceVersion() != ep.ResourceVersion() && _services.Get(Informer.KeyOf(ep)) is { } svc && ServiceFacts.HasSelector(svc))
                    Queue.Add(Informer.KeyOf(ep));
            },
            onDelete: ep => Queue.Add(Informer.KeyOf(ep))));
    }

    protected override IEnumerable<Informer> Informers => [_services, _pods, _endpoints];

    private void OnPod(JsonObject pod)
    {
        foreach (var key in ServiceFacts.KeysSelecting(_services, pod)) Queue.Add(key);
    }

    private void OnPodUpdate(JsonObject oldPod, JsonObject pod)
    {
        if (ReferenceEquals(oldPod, pod) || oldPod.ResourceVersion() == pod.ResourceVersion()) return; // resync: services resync too
        var keys = ServiceFacts.KeysSelecting(_services, pod).ToHashSet(StringComparer.Ordinal);
        if (!JsonCompare.SameMap(oldPod.Labels(), pod.Labels())) keys.UnionWith(ServiceFacts.KeysSelecting(_services, oldPod));
        foreach (var key in keys) Queue.Add(key);
    }

    private static bool HasLeaderAnnotation(JsonObject obj) => obj.Annotations().ContainsKey(DiscoveryConventions.LeaderElectionAnnotation);

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var (ns, name) = Split(key);
        var svc = _services.Get(key);
        if (svc == null)
        {
            var leftover = _endpoints.Get(key);
            if (leftover == null || !HasLeaderAnnotation(leftover))
            {
                try
                {
                    await _client.DeleteAsync(Kinds.Endpoints, ns, name, ct: ct);
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
            _triggers.Forget(key);
            _replaced.TryRemove(key, out _);
            return;
        }
        if (ServiceFacts.IsExternalName(svc) || !ServiceFacts.HasSelector(svc)) return;

        var selector = ServiceFacts.Selector(svc);
        var pods = _pods.List(ns).Where(p => selector.Matches(p.Labels())).ToList();
        var triggerTime = _triggers.Compute(key, svc, pods);
        var subsets = DesiredSubsets(svc, pods);
        var truncated = EndpointSubsets.Truncate(subsets);
        var subsetsJson = new JsonArray(subsets.Select(s => (JsonNode)s.ToJson()).ToArray());
        var labels = DesiredLabels(svc);

        var current = _endpoints.Get(key);
        if (current != null && _replaced.TryGetValue(key, out var replaced) && current.ResourceVersion() == replaced)
            throw new StaleCacheException($"endpoints cache of {key} still shows resourceVersion {replaced}, which was already replaced");

        if (current != null &&
            JsonCompare.Equal(WithoutTargetRefVersions(current["subsets"]), subsetsJson) &&
            JsonCompare.SameMap(current.Labels(), labels) &&
            current.Annotations().ContainsKey(DiscoveryConventions.OverCapacityAnnotation) == truncated)
            return;

        var desired = current?.Clone() ?? new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        var meta = desired.Metadata();
        meta["labels"] = JsonCompare.ToJson(labels);
        var annotations = new Dictionary<string, string>(desired.Annotations());
        if (triggerTime is { } t) annotations[DiscoveryConventions.LastChangeTriggerTimeAnnotation] = TriggerTimeTracker.Format(t);
        else annotations.Remove(DiscoveryConventions.LastChangeTriggerTimeAnnotation);
        if (truncated) annotations[DiscoveryConventions.OverCapacityAnnotation] = DiscoveryConventions.OverCapacityTruncated;
        else annotations.Remove(DiscoveryConventions.OverCapacityAnnotation);
        if (annotations.Count > 0) meta["annotations"] = JsonCompare.ToJson(annotations);
        else meta.Remove("annotations");
        if (subsetsJson.Count > 0) desired["subsets"] = subsetsJson;
        else desired.Remove("subsets");

        try
        {
            if (current == null)
            {
                await _client.CreateAsync(Kinds.Endpoints, ns, desired, ct);
            }
            else
            {
                var updated = await _client.UpdateAsync(Kinds.Endpoints, desired, ct);
                if (updated.ResourceVersion() != current.ResourceVersion()) _replaced[key] = current.ResourceVersion() ?? "";
            }
        }
        catch (ApiException e) when (e.Code != 409)
        {
            // Conflicts are the cache lagging and heal on retry; anything else is worth telling the user.
            await _events.RecordAsync(svc, EventRecorder.Warning, current == null ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint",
                $"Failed to {(current == null ? "create" : "update")} endpoint {key}: {e.Message}", ct);
            throw;
        }
    }

    /// <summary>Step 3 and the packing of step 4, without truncation.</summary>
    public static List<EndpointSubset> DesiredSubsets(JsonObject svc, IEnumerable<JsonObject> pods)
    {
        var publishNotReady = ServiceFacts.PublishNotReadyAddresses(svc);
        var family = ServiceFacts.AddressTypes(svc)[0];
        var ports = ServiceFacts.Ports(svc);
        var packer = new EndpointSubsets();
        foreach (var pod in pods)
        {
            if (!PodEndpoints.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady)) continue;
            if (PodEndpoints.IpFor(pod, family) is not { } ip) continue;
            var address = new JsonObject { ["ip"] = ip };
            if (PodEndpoints.ShouldSetHostname(pod, svc)) address["hostname"] = pod["spec"].Str("hostname");
            if (pod["spec"].Str("nodeName") is { Length: > 0 } node) address["nodeName"] = node;
            address["targetRef"] = PodEndpoints.TargetRef(pod);
            var ready = publishNotReady || PodStatus.IsReady(pod);

            if (ports.Count == 0)
            {
                // A headless service may have no ports: its endpoints are the addresses alone.
                if (ServiceFacts.IsHeadless(svc)) packer.Add(address, ready, null);
                continue;
            }
            foreach (var servicePort in ports)
            {
                if (PodEndpoints.FindPort(pod, servicePort) is not { } number) continue;
                var port = new JsonObject();
                if (servicePort.Str("name") is { Length: > 0 } portName) port["name"] = portName;
                port["port"] = number;
                port["protocol"] = servicePort.Str("protocol") is { Length: > 0 } protocol ? protocol : "TCP";
                if (servicePort.Str("appProtocol") is { Length: > 0 } app) port["appProtocol"] = app;
                packer.Add(address, ready, port);
            }
        }
        return packer.Build();
    }

    /// <summary>The service's labels, plus the headless marker when it has no cluster IP.</summary>
    public static Dictionary<string, string> DesiredLabels(JsonObject svc)
    {
        var labels = new Dictionary<string, string>(svc.Labels(), StringComparer.Ordinal);
        if (ServiceFacts.IsHeadless(svc)) labels[DiscoveryConventions.HeadlessLabel] = "";
        else labels.Remove(DiscoveryConventions.HeadlessLabel);
        return labels;
    }

    /// <summary>Hand-made targetRefs may carry a pod resourceVersion; it must not make us rewrite (upstream ignores it too).</summary>
    private static JsonNode WithoutTargetRefVersions(JsonNode? subsets)
    {
        var copy = subsets?.DeepClone() as JsonArray ?? [];
        foreach (var subset in copy.OfType<JsonObject>())
            foreach (var list in new[] { "addresses", "notReadyAddresses" })
                if (subset[list] is JsonArray addresses)
                    foreach (var a in addresses.OfType<JsonObject>())
                        (a["targetRef"] as JsonObject)?.Remove("resourceVersion");
        return copy;
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
