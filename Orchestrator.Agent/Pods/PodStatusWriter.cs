using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Writes pod statuses through the status subresource, only when they changed:
/// <list type="bullet">
/// <item>equal to the status the API has (the informer's copy) → nothing;</item>
/// <item>equal to what this writer last wrote and the informer has not seen that write yet → nothing (the cache
/// lags behind our own writes);</item>
/// <item>otherwise PUT with the pod's resourceVersion; on 409 re-read the pod and rebuild the status from it
/// (transition times and startTime come from the stored status), a few times.</item>
/// </list>
/// Writes for one pod never overlap because one pod is only synced by one worker at a time; bursts of triggers
/// are coalesced by the work queue before they get here.
/// </summary>
public sealed class PodStatusWriter(IKubeClient client, ILogger<PodStatusWriter> log)
{
    private const int MaxAttempts = 4;

    private readonly ConcurrentDictionary<string, (JsonObject Status, long ResourceVersion)> _written = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings the status of <paramref name="pod"/> (the cached copy) to <paramref name="build"/>(pod) and returns
    /// the pod as stored afterwards (null when it is gone or nothing was written).
    /// </summary>
    public async Task<JsonObject?> WriteAsync(JsonObject pod, Func<JsonObject, JsonObject> build, CancellationToken ct)
    {
        var uid = pod.Uid() ?? "";
        for (var attempt = 1; ; attempt++)
        {
            var status = build(pod);
            if (JsonNode.DeepEquals(pod["status"], status))
                return null;
            if (_written.TryGetValue(uid, out var last) && JsonNode.DeepEquals(last.Status, status)
                && Revision(pod) < last.ResourceVersion)
                return null;

            var updated = pod.Clone();
            updated["status"] = status;
            try
            {
                var stored = await client.UpdateStatusAsync(Kinds.Pod, updated, ct);
                _written[uid] = (status, Revision(stored));
                return stored;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < MaxAttempts)
            {
                var fresh = await client.GetAsync(Kinds.Pod, pod.Namespace(), pod.Name() ?? "", ct);
                if (fresh is null || fresh.Uid() != uid)
                    return null;
                pod = fresh;
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
            catch (ApiException e) when (e.Code == 409)
            {
                log.LogDebug("Status of pod {Namespace}/{Name} kept conflicting; the next sync writes it", pod.Namespace(), pod.Name());
                return null;
            }
        }
    }

    /// <summary>Forgets a pod that left the node.</summary>
    public void Forget(string uid) => _written.TryRemove(uid, out _);

    private static long Revision(JsonObject pod) =>
        long.TryParse(pod.ResourceVersion(), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}
