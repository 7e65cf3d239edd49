using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Scheduling;

/// <summary>Passes everything through, except that the first N status updates and bindings fail as told.</summary>
internal sealed class FlakyKubeClient(IKubeClient inner) : IKubeClient
{
    public int StatusConflicts;
    public int BindFailures;

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) => inner.GetAsync(kind, ns, name, ct);

    public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.ListAsync(kind, ns, labelSelector, fieldSelector, ct);

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.WatchAsync(kind, ns, resourceVersion, labelSelector, fieldSelector, ct);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default) => inner.CreateAsync(kind, ns, obj, ct);

    public Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) => inner.UpdateAsync(kind, obj, ct);

    public Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        if (Interlocked.Decrement(ref StatusConflicts) >= 0)
            throw new ApiException(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
        return inner.UpdateStatusAsync(kind, obj, ct);
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
        inner.PatchAsync(kind, ns, name, type, patch, subresource, ct);

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) =>
        inner.DeleteAsync(kind, ns, name, options, ct);

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default)
    {
        if (Interlocked.Decrement(ref BindFailures) >= 0) throw ApiException.Internal("etcdserver: request timed out");
        return inner.BindAsync(ns, pod, node, ct);
    }
}
