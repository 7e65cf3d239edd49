using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>
/// The guaranteed-update loop (STYLE.md habit 4): read the live object, apply a change, write it with the
/// resourceVersion just read; on 409 read again and re-apply. Caches may lag, so writes that must not lose a
/// concurrent change (finalizers, ownerReferences) start from a live read.
/// </summary>
public static class ObjectUpdater
{
    private const int Attempts = 5;

    /// <summary>
    /// Applies <paramref name="mutate"/> to the live object and writes it. <paramref name="mutate"/> returns false when
    /// nothing needs to change (or the object is not the one meant, e.g. a different uid): then nothing is written.
    /// Returns the written object (as the server answered), or null when nothing was written or the object is gone.
    /// </summary>
    public static async Task<JsonObject?> UpdateAsync(IKubeClient client, ResourceKind kind, string? ns, string name,
        Func<JsonObject, bool> mutate, CancellationToken ct, bool status = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var live = await client.GetAsync(kind, ns, name, ct);
            if (live == null || !mutate(live)) return null;
            try
            {
                return status ? await client.UpdateStatusAsync(kind, live, ct) : await client.UpdateAsync(kind, live, ct);
            }
            catch (ApiException e) when (e.Code == 409 && attempt < Attempts)
            {
                // Someone wrote in between: re-read and re-apply.
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }
    }
}
