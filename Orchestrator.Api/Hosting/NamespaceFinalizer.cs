using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Finishes namespace deletion: for each namespace marked for deletion, deletes everything inside it, and once
/// nothing is left removes the <c>kubernetes</c> finalizer so the namespace itself goes. Level-triggered: it looks at
/// what is stored every pass, so a restart in the middle simply continues.
/// </summary>
public sealed class NamespaceFinalizer(ResourceRegistry registry, ILogger<NamespaceFinalizer> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var nsKind = registry.Catalog.FindByPlural("", "v1", "namespaces")!;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var stored in registry.List(nsKind, null, ListQuery.All).Items)
                {
                    var ns = stored.Parse();
                    if (ns["metadata"]?["deletionTimestamp"] == null) continue;
                    await FinalizeAsync(nsKind, ns.Name()!, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Namespace finalization pass failed; retrying");
            }
            await Task.Delay(Interval, ct);
        }
    }

    private async Task FinalizeAsync(ResourceKind nsKind, string name, CancellationToken ct)
    {
        var remaining = 0;
        foreach (var kind in registry.Catalog.Kinds.Where(k => k.Namespaced))
        {
            foreach (var item in registry.List(kind, name, ListQuery.All).Items)
            {
                remaining++;
                var obj = item.Parse();
                if (obj["metadata"]?["deletionTimestamp"] != null) continue;
                try
                {
                    await registry.DeleteAsync(kind, name, obj.Name()!, DeleteOptions.Default with { PropagationPolicy = "Background" }, ct);
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                }
            }
        }
        if (remaining > 0) return;
        var stored = registry.TryGetStored(nsKind, null, name);
        if (stored == null) return;
        try
        {
            await registry.Store.DeleteAsync(stored.Key, stored.Revision, ct);
            log.LogInformation("Namespace {Namespace} deleted", name);
        }
        catch (Orchestrator.Core.Storage.StoreException)
        {
            // Changed meanwhile; the next pass looks again.
        }
    }
}
