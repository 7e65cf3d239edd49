using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.GarbageCollection;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Namespaces;

/// <summary>
/// Finishes the deletion of namespaces, as upstream's namespace controller. A DELETE only marks a namespace
/// (deletionTimestamp, phase Terminating, spec.finalizers ["kubernetes"]); for each such namespace a sync:
/// <list type="number">
/// <item>deletes (background propagation) every object of every namespaced kind in it not already being deleted;</item>
/// <item>counts what is left — pods on nodes terminate gracefully, objects with finalizers wait for their owners —
///   and writes the namespace's deletion conditions (only when they change);</item>
/// <item>when nothing is left, removes <c>kubernetes</c> from spec.finalizers through the finalize subresource, and
///   the registry deletes the namespace.</item>
/// </list>
/// Level-triggered: it reads the live state each time, so a restart simply continues. Progress is driven by the
/// deletion of any object in a terminating namespace, and by a re-check every <see cref="RecheckInterval"/>.
/// </summary>
public sealed class NamespaceController : QueueController
{
    public const string KubernetesFinalizer = "kubernetes";
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    private readonly IKubeClient _client;
    private readonly Informer _namespaces;

    public NamespaceController(InformerFactory informers, IKubeClient client, TimeProvider time, ILogger<NamespaceController> log)
        : base("namespace", time, log)
    {
        _client = client;
        _namespaces = informers.For(Kinds.Namespace);
        _namespaces.AddHandler(InformerHandler.Any(ns =>
        {
            if (Finalizers.IsDeleting(ns)) Queue.Add(ns.Name()!);
        }));
        // The contents' informers only nudge: each deletion inside a terminating namespace may be the last one.
        foreach (var kind in ResourceCatalog.Default.Kinds.Where(k => k.Namespaced))
            informers.For(kind).AddHandler(new InformerHandler(onDelete: NudgeNamespaceOf));
    }

    protected override IEnumerable<Informer> Informers => [_namespaces];

    private void NudgeNamespaceOf(JsonObject obj)
    {
        if (obj.Namespace() is { Length: > 0 } ns && _namespaces.Get(ns) is { } n && Finalizers.IsDeleting(n)) Queue.Add(ns);
    }

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var ns = _namespaces.Get(key);
        if (ns == null || !Finalizers.IsDeleting(ns)) return;
        if (!HasKubernetesFinalizer(ns)) return; // our part is done; other finalizers are someone else's

        var content = await DeleteContentAsync(key, ct);
        await WriteConditionsAsync(key, content, ct);
        if (content.Remaining.Count == 0 && content.Failures.Count == 0)
        {
            await FinalizeAsync(key, ct);
            return;
        }
        Queue.AddAfter(key, RecheckInterval);
    }

    private async Task<NamespaceContent> DeleteContentAsync(string ns, CancellationToken ct)
    {
        var content = new NamespaceContent();
        foreach (var kind in ResourceCatalog.Default.Kinds.Where(k => k.Namespaced))
        {
            try
            {
                var items = (await _client.ListAsync(kind, ns, ct: ct)).Items;
                if (items.Count == 0) continue;
                foreach (var obj in items.Where(o => !Finalizers.IsDeleting(o)))
                {
                    try
                    {
                        await _client.DeleteAsync(kind, ns, obj.Name()!, new DeleteRequest("Background", null, obj.Uid()), ct);
                    }
                    catch (ApiException e) when (e.Code is 404 or 409)
                    {
                    }
                }
                // Count after deleting: most objects go at once; pods on nodes and objects with finalizers remain.
                var left = (await _client.ListAsync(kind, ns, ct: ct)).Items;
                if (left.Count == 0) continue;
                content.Remaining[kind.GroupResource] = left.Count;
                foreach (var finalizer in left.SelectMany(Finalizers.All))
                    content.Finalizers[finalizer] = content.Finalizers.GetValueOrDefault(finalizer) + 1;
            }
            catch (ApiException e)
            {
                content.Failures.Add($"{kind.GroupResource}: {e.Message}");
            }
        }
        return content;
    }

    private async Task WriteConditionsAsync(string name, NamespaceContent content, CancellationToken ct)
    {
        var now = KubeTime.Format(Time.GetUtcNow());
        var desired = NamespaceConditions.For(content);
        await ObjectUpdater.UpdateAsync(_client, Kinds.Namespace, null, name, live =>
        {
            if (!Finalizers.IsDeleting(live)) return false;
            var status = live.Obj("status");
            var changed = status.Str("phase") != "Terminating";
            status["phase"] = "Terminating";
            changed |= NamespaceConditions.Apply(status, desired, now);
            return changed;
        }, ct, status: true);
    }

    private async Task FinalizeAsync(string name, CancellationToken ct)
    {
        var live = await _client.GetAsync(Kinds.Namespace, null, name, ct);
        if (live == null || !HasKubernetesFinalizer(live)) return;
        var kept = new JsonArray(SpecFinalizers(live).Where(f => f != KubernetesFinalizer).Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = live.ResourceVersion() },
            ["spec"] = new JsonObject { ["finalizers"] = kept },
        };
        try
        {
            await _client.PatchAsync(Kinds.Namespace, null, name, PatchType.Merge, patch, "finalize", ct);
            Log.LogInformation("Namespace {Namespace} is empty; finalized", name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private static bool HasKubernetesFinalizer(JsonObject ns) => SpecFinalizers(ns).Contains(KubernetesFinalizer);

    private static IEnumerable<string> SpecFinalizers(JsonObject ns) =>
        (ns["spec"]?["finalizers"] as JsonArray)?.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>() ?? [];

}
