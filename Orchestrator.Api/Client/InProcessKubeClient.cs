using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.Resources;
using Orchestrator.Api.Watch;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Client;

/// <summary>
/// The API as the controllers and scheduler inside the server use it: the same registry, admission and watch
/// semantics as the REST surface, without HTTP or JSON re-encoding. Writes carry the caller's field manager.
/// </summary>
public sealed class InProcessKubeClient(ResourceRegistry registry, BindingSubresource binding, string fieldManager) : IKubeClient
{
    private WriteOptions Options => new(false, fieldManager, FieldValidationMode.Ignore, false);

    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) =>
        Task.FromResult(registry.TryGetStored(kind, ns, name)?.Parse());

    public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default)
    {
        var page = registry.List(kind, ns, Query(labelSelector, fieldSelector, null));
        return Task.FromResult(new ObjectList(page.Items.Select(i => i.Parse()).ToList(), page.Revision.ToString()));
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null,
        string? fieldSelector = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!long.TryParse(resourceVersion, out var after)) throw ApiException.BadRequest($"invalid resourceVersion \"{resourceVersion}\"");
        var query = Query(labelSelector, fieldSelector, resourceVersion);
        using var subscription = await registry.WatchAsync(kind, ns, after, ct);
        while (true)
        {
            StoreEvent e;
            try
            {
                if (!await subscription.Events.WaitToReadAsync(ct)) yield break;
                if (!subscription.Events.TryRead(out e!)) continue;
            }
            catch (WatcherTooSlowException)
            {
                // The caller re-lists, exactly as after an expired watch.
                throw ApiException.Gone("watcher fell behind; re-list");
            }
            if (WatchFilter.Translate(kind, e, query) is not { } type) continue;
            var kindOfEvent = type switch
            {
                WatchEventType.Added => WatchEventKind.Added,
                WatchEventType.Modified => WatchEventKind.Modified,
                _ => WatchEventKind.Deleted,
            };
            yield return new WatchEvent(kindOfEvent, JsonNode.Parse(e.Object)!.AsObject());
        }
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default) =>
        registry.CreateAsync(kind, ns, obj.Clone(), Options, ct);

    public async Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) =>
        (await registry.UpdateAsync(kind, obj.Namespace(), obj.Name()!, obj.Clone(), null, Options, ct)).Object;

    public async Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) =>
        (await registry.UpdateAsync(kind, obj.Namespace(), obj.Name()!, obj.Clone(), "status", Options, ct)).Object;

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
        (await registry.PatchAsync(kind, ns, name, type.ContentType(), patch.DeepClone(), subresource, Options, ct)).Object;

    public async Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default)
    {
        options ??= DeleteRequest.Background;
        await registry.DeleteAsync(kind, ns, name,
            new Resources.DeleteOptions(options.PropagationPolicy, options.GracePeriodSeconds, options.PreconditionUid, null, false), ct);
    }

    public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) =>
        binding.BindAsync(Kinds.Pod, ns, pod, new JsonObject { ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node } }, ct);

    private static ListQuery Query(string? labels, string? fields, string? rv) => new(
        string.IsNullOrWhiteSpace(labels) ? null : LabelSelector.Parse(labels),
        string.IsNullOrWhiteSpace(fields) ? null : FieldSelector.Parse(fields),
        null, null, rv);
}
