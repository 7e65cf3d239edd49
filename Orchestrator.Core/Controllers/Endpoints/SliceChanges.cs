using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>The writes one reconcile of a service's slices needs. Slices to create carry generateName, not a name.</summary>
public sealed class SliceChanges
{
    public List<JsonObject> ToCreate { get; } = [];
    public List<JsonObject> ToUpdate { get; } = [];
    public List<JsonObject> ToDelete { get; } = [];

    public bool IsEmpty => ToCreate.Count == 0 && ToUpdate.Count == 0 && ToDelete.Count == 0;

    public void Add(SliceChanges other)
    {
        ToCreate.AddRange(other.ToCreate);
        ToUpdate.AddRange(other.ToUpdate);
        ToDelete.AddRange(other.ToDelete);
    }

    /// <summary>
    /// Turns create+delete pairs of the same address type into updates of the slice that would be deleted: one
    /// write instead of two, and one event less for every proxy watching slices.
    /// </summary>
    public void Recycle(Func<JsonObject, bool> canReuse)
    {
        for (var i = 0; i < ToDelete.Count && ToCreate.Count > 0;)
        {
            var old = ToDelete[i];
            var fresh = ToCreate.FindLast(c => c.Str("addressType") == old.Str("addressType"));
            if (fresh == null || !canReuse(old))
            {
                i++;
                continue;
            }
            ToCreate.Remove(fresh);
            var meta = fresh.Metadata();
            meta.Remove("generateName");
            meta["name"] = old.Name();
            meta["resourceVersion"] = old.ResourceVersion();
            ToUpdate.Add(fresh);
            ToDelete.RemoveAt(i);
        }
    }
}
