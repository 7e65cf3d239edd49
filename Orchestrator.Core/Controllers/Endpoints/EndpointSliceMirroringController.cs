using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Mirrors hand-written Endpoints of selectorless Services into EndpointSlices (upstream's endpointslicemirroring
/// controller), so that consumers reading only slices still see them. Mirrored slices are labelled
/// managed-by endpointslicemirroring-controller.k8s.io and kubernetes.io/service-name, carry the Endpoints' other
/// labels and annotations, and are controlled by the Endpoints object. One sync of an Endpoints key:
/// <list type="number">
/// <item>no Endpoints, skip-mirror="true", a leader-election annotation, no Service, or a Service with a selector
///   (the slice controller serves it): delete the mirrored slices;</item>
/// <item>each subset becomes one slice per address type with the subset's ports: addresses ready, notReadyAddresses
///   not ready, at most 1000 per subset; addresses that are not IPs are skipped with a Warning event;</item>
/// <item>per port list the first existing slice is updated when it differs, extra ones deleted, a missing one created.</item>
/// </list>
/// </summary>
public sealed class EndpointSliceMirroringController : QueueController
{
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _endpoints;
    private readonly Informer _services;
    private readonly Informer _slices;
    private readonly EndpointSliceTracker _tracker = new();

    public EndpointSliceMirroringController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<EndpointSliceMirroringController> log)
        : base("endpointslice-mirroring-controller", time, log)
    {
        _client = client;
        _events = events;
        _endpoints = informers.For(Kinds.Endpoints);
        _services = informers.For(Kinds.Service);
        _slices = informers.For(Kinds.EndpointSlice);

        _endpoints.AddHandler(new InformerHandler(
            ep =>
            {
                if (ShouldMirror(ep)) Queue.Add(Informer.KeyOf(ep));
            },
            (old, ep) =>
            {
                if (ShouldMirror(old) || ShouldMirror(ep)) Queue.Add(Informer.KeyOf(ep));
            },
            ep => Queue.Add(Informer.KeyOf(ep))));
        _services.AddHandler(new InformerHandler(
            svc =>
            {
                if (!ServiceFacts.HasSelector(svc)) Queue.Add(Informer.KeyOf(svc));
            },
            (old, svc) =>
            {
                if (ServiceFacts.HasSelector(old) != ServiceFacts.HasSelector(svc)) Queue.Add(Informer.KeyOf(svc));
            },
            svc => Queue.Add(Informer.KeyOf(svc))));
        _slices.AddHandler(new InformerHandler(OnSlice, (_, s) => OnSlice(s), OnSliceDelete));
    }

    protected override IEnumerable<Informer> Informers => [_endpoints, _services, _slices];

    private void OnSlice(JsonObject slice)
    {
        if (!EndpointSlices.IsManagedBy(slice, DiscoveryConventions.MirroringControllerName)) return;
        if (EndpointSlices.ServiceKeyOf(slice) is { } key && _tracker.ShouldSync(key, slice)) Queue.Add(key);
    }

    private void OnSliceDelete(JsonObject slice)
    {
        if (!EndpointSlices.IsManagedBy(slice, DiscoveryConventions.MirroringControllerName)) return;
        if (EndpointSlices.ServiceKeyOf(slice) is { } key && !_tracker.HandleDeletion(key, slice)) Queue.Add(key);
    }

    public static bool ShouldMirror(JsonObject endpoints) =>
        endpoints.Labels().GetValueOrDefault(DiscoveryConventions.SkipMirrorLabel) != "true" &&
        !endpoints.Annotations().ContainsKey(DiscoveryConventions.LeaderElectionAnnotation);

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var slash = key.IndexOf('/');
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var existing = EndpointSlices.Managed(_slices, ns, name, DiscoveryConventions.MirroringControllerName);
        var endpoints = _endpoints.Get(key);
        var svc = _services.Get(key);

        if (endpoints == null || !ShouldMirror(endpoints) || svc == null || ServiceFacts.HasSelector(svc))
        {
            foreach (var slice in existing) await SliceWriter.DeleteAsync(_client, _tracker, key, slice, ct);
            if (endpoints == null) _tracker.Forget(key);
            return;
        }
        if (_tracker.IsStale(key, existing))
            throw new StaleCacheException($"mirrored endpointslice cache of {key} does not show the last writes yet");

        // Desired: per (address type, port list), ports and endpoints.
        var desired = new Dictionary<string, (string AddressType, JsonArray Ports, SortedDictionary<string, JsonObject> Endpoints)>(StringComparer.Ordinal);
        var order = new List<string>();
        var invalid = 0;
        var skipped = 0;
        foreach (var subset in (endpoints["subsets"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var ports = MirrorPorts(subset["ports"]);
            var added = 0;
            foreach (var (list, ready) in new[] { ("addresses", true), ("notReadyAddresses", false) })
                foreach (var address in (subset[list] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    if (added >= DiscoveryConventions.MaxMirroredPerSubset)
                    {
                        skipped++;
                        continue;
                    }
                    if (ToEndpoint(address, ready) is not var (endpoint, addressType))
                    {
                        invalid++;
                        continue;
                    }
                    var groupKey = addressType + "#" + EndpointSlices.PortsKey(ports);
                    if (!desired.TryGetValue(groupKey, out var group))
                    {
                        desired[groupKey] = group = (addressType, ports, new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
                        order.Add(groupKey);
                    }
                    group.Endpoints.TryAdd(EndpointSlices.EndpointId(endpoint), endpoint);
                    added++;
                }
        }
        if (invalid > 0)
            await _events.RecordAsync(endpoints, EventRecorder.Warning, "InvalidIPAddress",
                $"Skipped {invalid} invalid IP addresses when mirroring to EndpointSlices", ct);
        if (skipped > 0)
            await _events.RecordAsync(endpoints, EventRecorder.Warning, "TooManyAddressesToMirror",
                $"A max of {DiscoveryConventions.MaxMirroredPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. {skipped} addresses were skipped", ct);

        var labels = DesiredLabels(endpoints);
        var annotations = DesiredAnnotations(endpoints);
        var ownerRef = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["name"] = endpoints.Name(),
            ["uid"] = endpoints.Uid(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        };

        var changes = new SliceChanges();
        var byKey = existing
            .OrderBy(s => s.Name(), StringComparer.Ordinal)
            .GroupBy(s => s.Str("addressType") + "#" + EndpointSlices.PortsKey(s["ports"]))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var groupKey in order)
        {
            var (addressType, ports, wanted) = desired[groupKey];
            var current = byKey.GetValueOrDefault(groupKey) ?? [];
            changes.ToDelete.AddRange(current.Skip(1));
            var slice = EndpointSlices.New(ns, name, ownerRef.DeepClone().AsObject(), labels, annotations, addressType, ports);
            EndpointSlices.SetEndpoints(slice, wanted.Values);
            if (current.Count == 0)
            {
                changes.ToCreate.Add(slice);
                continue;
            }
            var first = current[0];
            if (SameContent(first, slice)) continue;
            var update = first.Clone();
            var meta = update.Metadata();
            meta["labels"] = JsonCompare.ToJson(labels);
            if (annotations.Count > 0) meta["annotations"] = JsonCompare.ToJson(annotations);
            else meta.Remove("annotations");
            meta["ownerReferences"] = new JsonArray(ownerRef.DeepClone());
            EndpointSlices.SetPorts(update, ports);
            EndpointSlices.SetEndpoints(update, wanted.Values);
            changes.ToUpdate.Add(update);
        }
        foreach (var (groupKey, slices) in byKey)
            if (!desired.ContainsKey(groupKey)) changes.ToDelete.AddRange(slices);
        changes.Recycle(_ => true);

        if (!changes.IsEmpty)
            await SliceWriter.ApplyAsync(_client, _tracker, key, ns, changes, null, allowCreate: endpoints["metadata"]?["deletionTimestamp"] == null, ct);
    }

    private static bool SameContent(JsonObject existing, JsonObject desired) =>
        JsonCompare.Equal(existing["endpoints"] ?? new JsonArray(), desired["endpoints"]) &&
        EndpointSlices.PortsKey(existing["ports"]) == EndpointSlices.PortsKey(desired["ports"]) &&
        JsonCompare.SameMap(existing.Labels(), KubeObject.StringMap(desired["metadata"]?["labels"])) &&
        JsonCompare.SameMap(existing.Annotations(), KubeObject.StringMap(desired["metadata"]?["annotations"])) &&
        OwnerReferencesMatch(existing, desired);

    private static bool OwnerReferencesMatch(JsonObject existing, JsonObject desired) =>
        existing["metadata"]?["ownerReferences"] is JsonArray { Count: 1 } refs &&
        refs[0].Str("uid") == desired["metadata"]?["ownerReferences"]?[0].Str("uid");

    /// <summary>The Endpoints' labels, with service-name and managed-by set to ours.</summary>
    public static Dictionary<string, string> DesiredLabels(JsonObject endpoints)
    {
        var labels = new Dictionary<string, string>(endpoints.Labels(), StringComparer.Ordinal)
        {
            [DiscoveryConventions.ServiceNameLabel] = endpoints.Name() ?? "",
            [DiscoveryConventions.ManagedByLabel] = DiscoveryConventions.MirroringControllerName,
        };
        return labels;
    }

    /// <summary>The Endpoints' annotations except the trigger time and kubectl's last-applied copy.</summary>
    public static Dictionary<string, string> DesiredAnnotations(JsonObject endpoints) =>
        endpoints.Annotations()
            .Where(kv => kv.Key is not (DiscoveryConventions.LastChangeTriggerTimeAnnotation or DiscoveryConventions.LastAppliedAnnotation))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static JsonArray MirrorPorts(JsonNode? ports)
    {
        var result = new JsonArray();
        foreach (var p in (ports as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var port = new JsonObject
            {
                ["name"] = p.Str("name") ?? "",
                ["port"] = p.Long("port"),
                ["protocol"] = p.Str("protocol") is { Length: > 0 } protocol ? protocol : "TCP",
            };
            if (p.Str("appProtocol") is { Length: > 0 } app) port["appProtocol"] = app;
            result.Add(port);
        }
        return result;
    }

    /// <summary>An Endpoints address as a slice endpoint and its address type; null when the IP does not parse.</summary>
    public static (JsonObject Endpoint, string AddressType)? ToEndpoint(JsonObject address, bool ready)
    {
        if (ParseIp(address.Str("ip")) is not { } ip) return null;
        var endpoint = new JsonObject
        {
            // Re-printed, so an irregular spelling of the address is mirrored in canonical form.
            ["addresses"] = new JsonArray(ip.ToString()),
            ["conditions"] = new JsonObject { ["ready"] = ready },
        };
        if (address.Str("hostname") is { Length: > 0 } hostname) endpoint["hostname"] = hostname;
        if (address["targetRef"] is JsonObject targetRef) endpoint["targetRef"] = targetRef.DeepClone();
        if (address.Str("nodeName") is { Length: > 0 } node) endpoint["nodeName"] = node;
        return (endpoint, ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4");
    }

    /// <summary>Dotted-quad IPv4 or IPv6 only: IPAddress.TryParse alone also accepts forms like "10" or "1.2.3".</summary>
    private static IPAddress? ParseIp(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var ip)) return null;
        if (ip.AddressFamily == AddressFamily.InterNetwork && text.Split('.').Length != 4) return null;
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }
}
