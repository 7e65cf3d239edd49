using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Agent.Node;

/// <summary>A server that no longer accepts the credential: every call answers 401.</summary>
internal sealed class UnauthorizedClient : IKubeClient
{
    private static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) => throw Unauthorized();

    public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
        throw Unauthorized();

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null,
        string? fieldSelector = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        throw Unauthorized();
#pragma warning disable CS0162 // an iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default) => throw Unauthorized();

    public Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) => throw Unauthorized();

    public Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) => throw Unauthorized();

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
        throw Unauthorized();

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) => throw Unauthorized();

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) => throw Unauthorized();
}
