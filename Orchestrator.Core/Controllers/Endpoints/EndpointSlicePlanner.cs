using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Decides the slice writes for one service and address type, minimising churn because every slice write fans
/// out to every node's proxy (upstream's reconciler, written anew):
/// <list type="number">
/// <item>slices not owned by this service (an older service of the same name) are deleted;</item>
/// <item>per port list: in each existing slice keep the endpoints still desired (updated in place when their
///   conditions/node changed), drop the others; a slice left empty is deleted, a changed one updated;</item>
/// <item>remaining endpoints first fill the slices being updated anyway (fullest first), then at most one unchanged
///   slice that can take all of what is left (the fullest such), then new slices of up to <c>max</c> endpoints;</item>
/// <item>slices of port lists no longer wanted are deleted;</item>
/// <item>a service without endpoints keeps exactly one empty placeholder slice;</item>
/// <item>creates paired with deletes become updates of the slice to delete.</item>
/// </list>
/// The controller does not rebalance: slices may stay partly filled, as upstream.
/// </summary>
public sealed class EndpointSlicePlanner(int maxEndpointsPerSlice = DiscoveryConventions.MaxEndpointsPerSlice)
{
    public int MaxEndpointsPerSlice => maxEndpointsPerSlice;

    /// <param name="service">The owner: its uid decides ownership, its name and namespace name new slices.</param>
    /// <param name="ownerRef">The controller reference new slices get.</param>
    /// <param name="labels">The labels every slice of the service must carry.</param>
    /// <param name="existing">The service's slices of this address type, as cached.</param>
    /// <param name="desired">Desired endpoints by <see cref="EndpointSlices.PortsKey"/>.</param>
    public SliceChanges Plan(JsonObject service, JsonObject ownerRef, IReadOnlyDictionary<string, string> labels, string addressType,
        IReadOnlyList<JsonObject> existing, IReadOnlyDictionary<string, SliceEndpointGroup> desired)
    {
        var changes = new SliceChanges();
        var byPorts = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var slice in existing.OrderBy(s => s.Name(), StringComparer.Ordinal))
        {
            if (!EndpointSlices.OwnedBy(slice, service))
            {
                changes.ToDelete.Add(slice);
                continue;
            }
            var key = EndpointSlices.PortsKey(slice["ports"]);
            if (!byPorts.TryGetValue(key, out var list)) byPorts[key] = list = [];
            list.Add(slice);
        }

        foreach (var (key, group) in desired.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            changes.Add(PlanPorts(service, ownerRef, labels, addressType, byPorts.GetValueOrDefault(key) ?? [], group));

        foreach (var (key, slices) in byPorts)
            if (!desired.ContainsKey(key)) changes.ToDelete.AddRange(slices);

        if (existing.Count == changes.ToDelete.Count && changes.ToCreate.Count == 0)
        {
            var placeholder = EndpointSlices.New(service.Namespace() ?? "", service.Name() ?? "", ownerRef.DeepClone().AsObject(), labels, null, addressType, []);
            var reusable = changes.ToDelete.Count == 1 && IsPlaceholderFor(changes.ToDelete[0], service, labels);
            if (reusable) changes.ToDelete.Clear();
            else changes.ToCreate.Add(placeholder);
        }

        changes.Recycle(old => EndpointSlices.OwnedBy(old, service));
        return changes;
    }

    private SliceChanges PlanPorts(JsonObject service, JsonObject ownerRef, IReadOnlyDictionary<string, string> labels, string addressType,
        List<JsonObject> existing, SliceEndpointGroup group)
    {
        var changes = new SliceChanges();
        var remaining = new SortedDictionary<string, JsonObject>(group.Endpoints, StringComparer.Ordinal);
        var toUpdate = new List<(JsonObject Slice, List<JsonObject> Endpoints)>();
        var unchanged = new List<JsonObject>();

        // 2. Keep what is still desired in each existing slice.
        foreach (var slice in existing)
        {
            var old = EndpointSlices.EndpointsOf(slice);
            var kept = new List<JsonObject>();
            var changed = false;
            foreach (var endpoint in old)
            {
                if (!remaining.Remove(EndpointSlices.EndpointId(endpoint), out var want)) continue;
                kept.Add(want);
                if (!JsonCompare.Equal(want, endpoint)) changed = true;
            }
            var labelsChanged = !JsonCompare.SameMap(slice.Labels(), labels);
            if (changed || kept.Count != old.Count)
            {
                if (kept.Count == 0) changes.ToDelete.Add(slice);
                else toUpdate.Add((slice, kept));
            }
            else if (labelsChanged) toUpdate.Add((slice, kept));
            else unchanged.Add(slice);
        }

        // 3a. Fill the slices we write anyway, fullest first.
        foreach (var (_, endpoints) in toUpdate.OrderByDescending(u => u.Endpoints.Count))
            while (remaining.Count > 0 && endpoints.Count < maxEndpointsPerSlice)
                endpoints.Add(Pop(remaining));

        // 3b. Then one unchanged slice that can take all the rest, else new slices.
        while (remaining.Count > 0)
        {
            JsonObject? fill = null;
            if (remaining.Count < maxEndpointsPerSlice)
                fill = unchanged
                    .Where(s => EndpointSlices.EndpointsOf(s).Count + remaining.Count <= maxEndpointsPerSlice)
                    .OrderByDescending(s => EndpointSlices.EndpointsOf(s).Count)
                    .FirstOrDefault();
            if (fill != null)
            {
                unchanged.Remove(fill);
                var endpoints = EndpointSlices.EndpointsOf(fill).ToList();
                while (remaining.Count > 0) endpoints.Add(Pop(remaining));
                toUpdate.Add((fill, endpoints));
                continue;
            }
            var fresh = EndpointSlices.New(service.Namespace() ?? "", service.Name() ?? "", ownerRef.DeepClone().AsObject(), labels, null, addressType, group.Ports);
            var batch = new List<JsonObject>();
            while (remaining.Count > 0 && batch.Count < maxEndpointsPerSlice) batch.Add(Pop(remaining));
            EndpointSlices.SetEndpoints(fresh, batch);
            changes.ToCreate.Add(fresh);
        }

        foreach (var (slice, endpoints) in toUpdate)
        {
            var copy = slice.Clone();
            copy.Metadata()["labels"] = JsonCompare.ToJson(labels);
            EndpointSlices.SetEndpoints(copy, endpoints);
            changes.ToUpdate.Add(copy);
        }
        return changes;
    }

    private static JsonObject Pop(SortedDictionary<string, JsonObject> set)
    {
        var first = set.First();
        set.Remove(first.Key);
        return first.Value;
    }

    /// <summary>An existing slice that already is the placeholder we would create: no endpoints, no ports, same labels and owner.</summary>
    private static bool IsPlaceholderFor(JsonObject slice, JsonObject service, IReadOnlyDictionary<string, string> labels) =>
        EndpointSlices.EndpointsOf(slice).Count == 0 &&
        EndpointSlices.PortsKey(slice["ports"]) == "" &&
        JsonCompare.SameMap(slice.Labels(), labels) &&
        EndpointSlices.OwnedBy(slice, service);
}
