using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// Settles which pods an owner controls (upstream's ControllerRefManager.ClaimPods):
/// <list type="bullet">
/// <item>controlled by the owner and matching its selector: kept;</item>
/// <item>controlled by the owner but no longer matching (relabelled): released — its controller reference is removed
///   and the pod keeps running as an orphan; not while the owner is being deleted (the garbage collector decides then);</item>
/// <item>an orphan that matches: adopted, unless the owner or the pod is being deleted. Before the first adoption the
///   owner is re-read from the API (not the cache), so a deleted or re-created owner of the same name adopts nothing;</item>
/// <item>controlled by anyone else: ignored.</item>
/// </list>
/// </summary>
public sealed class PodClaimer(IKubeClient client)
{
    /// <summary>The pods the owner controls after adopting and releasing. Errors are thrown after every pod was tried.</summary>
    public async Task<List<JsonObject>> ClaimAsync(ResourceKind ownerKind, JsonObject owner, LabelSelector selector, IEnumerable<JsonObject> pods, CancellationToken ct)
    {
        var claimed = new List<JsonObject>();
        var errors = new List<Exception>();
        var ownerUid = owner.Uid();
        var ownerDeleting = PodStatus.IsTerminating(owner);
        Task? adoptable = null;

        foreach (var pod in pods)
        {
            var controller = OwnerReferences.ControllerOf(pod);
            var matches = selector.Matches(pod.Labels());
            try
            {
                if (controller != null)
                {
                    if (controller.Str("uid") != ownerUid) continue;
                    if (matches) claimed.Add(pod);
                    else if (!ownerDeleting) await ReleaseAsync(pod, ownerUid!, ct);
                    continue;
                }
                if (ownerDeleting || !matches || PodStatus.IsTerminating(pod) || pod.Namespace() != owner.Namespace()) continue;
                if (adoptable is { IsFaulted: true }) continue; // the owner's check failed once: recorded already
                await (adoptable ??= EnsureAdoptableAsync(ownerKind, owner, ct));
                claimed.Add(await AdoptAsync(pod, owner, ct));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // The pod is gone: nothing to claim or release.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(e);
            }
        }
        if (errors.Count == 1) throw errors[0];
        if (errors.Count > 1) throw new AggregateException($"claiming pods of {owner.Namespace()}/{owner.Name()} failed", errors);
        return claimed;
    }

    /// <summary>The owner as stored now (not as cached) must be the same object and not being deleted.</summary>
    private async Task EnsureAdoptableAsync(ResourceKind ownerKind, JsonObject owner, CancellationToken ct)
    {
        var fresh = await client.GetAsync(ownerKind, owner.Namespace(), owner.Name()!, ct);
        if (fresh == null || fresh.Uid() != owner.Uid())
            throw new InvalidOperationException(
                $"original {ownerKind.Kind} {owner.Namespace()}/{owner.Name()} is gone: got uid {fresh?.Uid() ?? "<none>"}, wanted {owner.Uid()}");
        if (PodStatus.IsTerminating(fresh))
            throw new InvalidOperationException(
                $"{ownerKind.Kind} {owner.Namespace()}/{owner.Name()} has just been deleted at {fresh["metadata"].Str("deletionTimestamp")}");
    }

    /// <summary>
    /// Adds the controller reference. The patch pins the pod's resourceVersion as cached: if another controller adopted
    /// it meanwhile, the write fails with 409 instead of giving the pod two controllers, and the sync is retried.
    /// </summary>
    private async Task<JsonObject> AdoptAsync(JsonObject pod, JsonObject owner, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(owner)),
                ["uid"] = pod.Uid(),
                ["resourceVersion"] = pod.ResourceVersion(),
            },
        };
        return await client.PatchAsync(Kinds.Pod, pod.Namespace(), pod.Name()!, PatchType.StrategicMerge, patch, ct: ct);
    }

    /// <summary>Removes only this owner's reference (by uid); other references and the pod itself stay.</summary>
    private async Task ReleaseAsync(JsonObject pod, string ownerUid, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(new JsonObject { ["$patch"] = "delete", ["uid"] = ownerUid }),
                ["uid"] = pod.Uid(),
            },
        };
        await client.PatchAsync(Kinds.Pod, pod.Namespace(), pod.Name()!, PatchType.StrategicMerge, patch, ct: ct);
    }
}
