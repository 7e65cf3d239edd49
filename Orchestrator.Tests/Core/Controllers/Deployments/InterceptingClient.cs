using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

/// <summary>
/// The controller's client in tests: it answers the first <c>conflicts</c> updates of <c>conflictKind</c> with 409
/// Conflict, as a concurrent writer would cause, and records every ReplicaSet size the controller writes (events
/// are no reliable record: the recorder drops one whose generated name collides on a frozen clock).
/// </summary>
internal sealed class InterceptingClient(IKubeClient inner, ResourceKind? conflictKind = null, int conflicts = 0) : IKubeClient
{
    private readonly int _conflicts = conflicts;
    private int _left = conflicts;
    private readonly ConcurrentQueue<(string Name, long Replicas)> _sizes = new();

    /// <summary>Every spec.replicas the controller wrote to a ReplicaSet (creations included), in order.</summary>
    public IReadOnlyList<(string Name, long Replicas)> Sizes => _sizes.ToList();

    public IEnumerable<long> SizesOf(string rsName) => Sizes.Where(s => s.Name == rsName).Select(s => s.Replicas);

    private JsonObject Record(ResourceKind k, JsonObject result)
    {
        if (k == Kinds.ReplicaSet) _sizes.Enqueue((result.Name()!, result["spec"].Long("replicas") ?? 1));
        return result;
    }

    public int Injected => _conflicts - Math.Max(0, Volatile.Read(ref _left));

    private void MaybeConflict(ResourceKind k, JsonObject obj)
    {
        if (k == conflictKind && Interlocked.Decrement(ref _left) >= 0)
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {k.Plural} \"{obj.Name()}\": injected conflict");
    }

    public Task<JsonObject?> GetAsync(ResourceKind k, string? ns, string name, CancellationToken ct = default) => inner.GetAsync(k, ns, name, ct);

    public Task<ObjectList> ListAsync(ResourceKind k, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.ListAsync(k, ns, labelSelector, fieldSelector, ct);

    public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind k, string? ns, string resourceVersion, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.WatchAsync(k, ns, resourceVersion, labelSelector, fieldSelector, ct);

    public async Task<JsonObject> CreateAsync(ResourceKind k, string? ns, JsonObject obj, CancellationToken ct = default) =>
        Record(k, await inner.CreateAsync(k, ns, obj, ct));

    public async Task<JsonObject> UpdateAsync(ResourceKind k, JsonObject obj, CancellationToken ct = default)
    {
        MaybeConflict(k, obj);
        return Record(k, await inner.UpdateAsync(k, obj, ct));
    }

    public Task<JsonObject> UpdateStatusAsync(ResourceKind k, JsonObject obj, CancellationToken ct = default)
    {
        MaybeConflict(k, obj);
        return inner.UpdateStatusAsync(k, obj, ct);
    }

    public Task<JsonObject> PatchAsync(ResourceKind k, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
        inner.PatchAsync(k, ns, name, type, patch, subresource, ct);

    public Task DeleteAsync(ResourceKind k, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) =>
        inner.DeleteAsync(k, ns, name, options, ct);

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) => inner.BindAsync(ns, pod, node, ct);
}
