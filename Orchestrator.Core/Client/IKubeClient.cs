using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Client;

/// <summary>
/// The Kubernetes API as controllers, the scheduler and agents use it. In the API server process it is served
/// in-process (no HTTP); agents and the node simulator use the HTTPS implementation. Failures are
/// <see cref="Errors.ApiException"/>s with the Kubernetes code and reason (404 NotFound, 409 Conflict, …).
/// </summary>
public interface IKubeClient
{
    Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default);

    Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default);

    /// <summary>
    /// Changes after <paramref name="resourceVersion"/>. Ends when the server ends the stream; throws ApiException 410
    /// when the version is too old (the caller re-lists).
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default);

    Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default);

    /// <summary>PUT with the object's resourceVersion: 409 Conflict when it is stale.</summary>
    Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default);

    Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default);

    Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default);

    Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default);

    /// <summary>Binds a pod to a node through the pods/binding subresource.</summary>
    Task BindAsync(string ns, string pod, string node, CancellationToken ct = default);
}
