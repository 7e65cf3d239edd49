using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

/// <summary>
/// An <see cref="IKubeClient"/> in front of the test cluster's that can hold back pod watch events (informer lag),
/// intercept pod creations (fail or block them) and answer status writes with conflicts.
/// </summary>
internal sealed class FaultyClient(IKubeClient inner) : IKubeClient
{
    private readonly object _gate = new();
    private TaskCompletionSource _podEvents = Released();
    private int _statusConflicts;
    private int _podCreates;
    private int _patchConflicts;

    /// <summary>Runs before each pod creation reaches the server; may throw (a refused create) or wait (a slow one).</summary>
    public Func<int, CancellationToken, Task>? BeforePodCreate { get; set; }

    /// <summary>Pod creations that reached the server.</summary>
    public int PodCreates => Volatile.Read(ref _podCreates);

    /// <summary>From now on, pod watch events wait (the informer's cache stops moving) until <see cref="ReleasePodEvents"/>.</summary>
    public void HoldPodEvents()
    {
        lock (_gate) if (_podEvents.Task.IsCompleted) _podEvents = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleasePodEvents()
    {
        lock (_gate) _podEvents.TrySetResult();
    }

    /// <summary>The next <paramref name="count"/> status writes fail with 409 Conflict.</summary>
    public void FailStatusWrites(int count) => Interlocked.Exchange(ref _statusConflicts, count);

    /// <summary>The next <paramref name="count"/> pod patches (adoptions, releases) fail with 409 Conflict.</summary>
    public void FailPodPatches(int count) => Interlocked.Exchange(ref _patchConflicts, count);

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) =>
        inner.GetAsync(kind, ns, name, ct);

    public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        inner.ListAsync(kind, ns, labelSelector, fieldSelector, ct);

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null,
        string? fieldSelector = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var e in inner.WatchAsync(kind, ns, resourceVersion, labelSelector, fieldSelector, ct))
        {
            if (IsPod(kind))
            {
                Task gate;
                lock (_gate) gate = _podEvents.Task;
                await gate.WaitAsync(ct);
            }
            yield return e;
        }
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default)
    {
        if (IsPod(kind) && BeforePodCreate is { } hook) await hook(PodCreates, ct);
        var created = await inner.CreateAsync(kind, ns, obj, ct);
        if (IsPod(kind)) Interlocked.Increment(ref _podCreates);
        return created;
    }

    public Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) => inner.UpdateAsync(kind, obj, ct);

    public Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        if (Interlocked.Decrement(ref _statusConflicts) >= 0)
            throw ApiException.Conflict(kind.GroupResource, obj.Name() ?? "", kind.Plural, kind.Group);
        return inner.UpdateStatusAsync(kind, obj, ct);
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default)
    {
        if (IsPod(kind) && Interlocked.Decrement(ref _patchConflicts) >= 0)
            throw ApiException.Conflict(kind.GroupResource, name, kind.Plural, kind.Group);
        return inner.PatchAsync(kind, ns, name, type, patch, subresource, ct);
    }

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) =>
        inner.DeleteAsync(kind, ns, name, options, ct);

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) => inner.BindAsync(ns, pod, node, ct);

    private static bool IsPod(ResourceKind kind) => kind.Group.Length == 0 && kind.Plural == "pods";

    private static TaskCompletionSource Released()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
