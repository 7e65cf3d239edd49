using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

/// <summary>A client whose first <c>failures</c> writes of one kind answer 409 Conflict, as a concurrent writer would cause.</summary>
internal sealed class ConflictingClient(IKubeClient inner, ResourceKind kind, int failures) : IKubeClient
{
    private int _left = failures;

    public int Conflicts { get; private set; }

    private void MaybeConflict(ResourceKind k)
    {
        if (k != kind || Interlocked.Decrement(ref _left) < 0) return;
        Conflicts++;
        throw ApiException.Conflict(k.GroupResource, "x", k.Plural, k.Group, "the object has been modified");
    }

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) => inner.GetAsync(kind, ns, name, ct);

    public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.ListAsync(kind, ns, labelSelector, fieldSelector, ct);

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.WatchAsync(kind, ns, resourceVersion, labelSelector, fieldSelector, ct);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default)
    {
        MaybeConflict(kind);
        return inner.CreateAsync(kind, ns, obj, ct);
    }

    public Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        MaybeConflict(kind);
        return inner.UpdateAsync(kind, obj, ct);
    }

    public Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        MaybeConflict(kind);
        return inner.UpdateStatusAsync(kind, obj, ct);
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
        inner.PatchAsync(kind, ns, name, type, patch, subresource, ct);

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) =>
        inner.DeleteAsync(kind, ns, name, options, ct);

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) => inner.BindAsync(ns, pod, node, ct);
}
