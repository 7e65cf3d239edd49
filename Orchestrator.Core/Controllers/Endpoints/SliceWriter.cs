using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>Carries out <see cref="SliceChanges"/> and records each write in the tracker, creates first, deletes last.</summary>
public static class SliceWriter
{
    /// <param name="allowCreate">False while the owner is being deleted: new slices would race the garbage collector.</param>
    public static async Task ApplyAsync(IKubeClient client, EndpointSliceTracker tracker, string serviceKey, string ns,
        SliceChanges changes, string? triggerTime, bool allowCreate, CancellationToken ct)
    {
        if (allowCreate)
            foreach (var slice in changes.ToCreate)
            {
                Stamp(slice, triggerTime);
                tracker.Written(serviceKey, await client.CreateAsync(Kinds.EndpointSlice, ns, slice, ct));
            }
        foreach (var slice in changes.ToUpdate)
        {
            Stamp(slice, triggerTime);
            tracker.Written(serviceKey, await client.UpdateAsync(Kinds.EndpointSlice, slice, ct));
        }
        foreach (var slice in changes.ToDelete)
            await DeleteAsync(client, tracker, serviceKey, slice, ct);
    }

    public static async Task DeleteAsync(IKubeClient client, EndpointSliceTracker tracker, string serviceKey, JsonObject slice, CancellationToken ct)
    {
        try
        {
            await client.DeleteAsync(Kinds.EndpointSlice, slice.Namespace(), slice.Name() ?? "", ct: ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
        tracker.ExpectDeletion(serviceKey, slice.Name() ?? "");
    }

    private static void Stamp(JsonObject slice, string? triggerTime)
    {
        if (triggerTime == null) return;
        slice.Metadata().Obj("annotations")[DiscoveryConventions.LastChangeTriggerTimeAnnotation] = triggerTime;
    }
}
