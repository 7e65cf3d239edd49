using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Client;

/// <summary>
/// <see cref="IKubeClient"/> over HTTPS for processes outside the API server (agents, the node simulator, tools).
/// Error responses become <see cref="ApiException"/>s carrying the server's Status code, reason and message.
/// </summary>
public sealed class HttpKubeClient : IKubeClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _fieldManager;

    public HttpKubeClient(HttpClient http, string fieldManager)
    {
        _http = http;
        _fieldManager = fieldManager;
    }

    /// <summary>A client that trusts only the cluster CA given as PEM, authenticating with a bearer token.</summary>
    public static HttpKubeClient Create(Uri server, string caPem, string token, string fieldManager)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            SslOptions = { RemoteCertificateValidationCallback = ClusterCaTrust.For(caPem) },
        };
        var http = new HttpClient(handler) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new HttpKubeClient(http, fieldManager);
    }

    public async Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default)
    {
        using var r = await _http.GetAsync(ItemPath(kind, ns, name), ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadObjectAsync(r, ct);
    }

    public async Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default)
    {
        using var r = await _http.GetAsync(CollectionPath(kind, ns) + Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector)), ct);
        var list = await ReadObjectAsync(r, ct);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i =>
        {
            var item = (JsonObject)i.DeepClone();
            item["apiVersion"] ??= kind.ApiVersion;
            item["kind"] ??= kind.Kind;
            return item;
        }).ToList();
        return new ObjectList(items, list["metadata"].Str("resourceVersion") ?? "0");
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null,
        string? fieldSelector = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var url = CollectionPath(kind, ns) + Query(("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
            ("labelSelector", labelSelector), ("fieldSelector", fieldSelector));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var r = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!r.IsSuccessStatusCode) throw await ErrorAsync(r, ct);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            var e = JsonNode.Parse(line)!.AsObject();
            var obj = e["object"] as JsonObject ?? new JsonObject();
            switch (e.Str("type"))
            {
                case "ADDED": yield return new WatchEvent(WatchEventKind.Added, Detach(obj)); break;
                case "MODIFIED": yield return new WatchEvent(WatchEventKind.Modified, Detach(obj)); break;
                case "DELETED": yield return new WatchEvent(WatchEventKind.Deleted, Detach(obj)); break;
                case "BOOKMARK": yield return new WatchEvent(WatchEventKind.Bookmark, Detach(obj)); break;
                case "ERROR":
                    throw new ApiException((int)(obj.Long("code") ?? 500), obj.Str("reason") ?? "InternalError", obj.Str("message") ?? "watch error");
            }
        }
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default)
    {
        using var r = await _http.PostAsync(CollectionPath(kind, ns) + Manager(), Json(obj), ct);
        return await ReadObjectAsync(r, ct);
    }

    public async Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        using var r = await _http.PutAsync(ItemPath(kind, obj.Namespace(), obj.Name()!) + Manager(), Json(obj), ct);
        return await ReadObjectAsync(r, ct);
    }

    public async Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
    {
        using var r = await _http.PutAsync(ItemPath(kind, obj.Namespace(), obj.Name()!) + "/status" + Manager(), Json(obj), ct);
        return await ReadObjectAsync(r, ct);
    }

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default)
    {
        var path = ItemPath(kind, ns, name) + (subresource != null ? "/" + subresource : "") + Manager();
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(type.ContentType());
        using var r = await _http.PatchAsync(path, content, ct);
        return await ReadObjectAsync(r, ct);
    }

    public async Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default)
    {
        options ??= DeleteRequest.Background;
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (options.PropagationPolicy != null) body["propagationPolicy"] = options.PropagationPolicy;
        if (options.GracePeriodSeconds is { } g) body["gracePeriodSeconds"] = g;
        if (options.PreconditionUid != null) body["preconditions"] = new JsonObject { ["uid"] = options.PreconditionUid };
        using var request = new HttpRequestMessage(HttpMethod.Delete, ItemPath(kind, ns, name)) { Content = Json(body) };
        using var r = await _http.SendAsync(request, ct);
        await ReadObjectAsync(r, ct);
    }

    public async Task BindAsync(string ns, string pod, string node, CancellationToken ct = default)
    {
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
        };
        using var r = await _http.PostAsync(ItemPath(Kinds.Pod, ns, pod) + "/binding", Json(binding), ct);
        await ReadObjectAsync(r, ct);
    }

    public void Dispose() => _http.Dispose();

    private static JsonObject Detach(JsonObject o) => (JsonObject)o.DeepClone();

    private string Manager() => "?fieldManager=" + Uri.EscapeDataString(_fieldManager);

    private static string CollectionPath(ResourceKind kind, string? ns) =>
        kind.Namespaced && !string.IsNullOrEmpty(ns) ? $"{kind.GroupVersionPath}/namespaces/{ns}/{kind.Plural}" : $"{kind.GroupVersionPath}/{kind.Plural}";

    private static string ItemPath(ResourceKind kind, string? ns, string name) => $"{CollectionPath(kind, ns)}/{Uri.EscapeDataString(name)}";

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (!r.IsSuccessStatusCode) throw await ErrorAsync(r, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return JsonNode.Parse(text) as JsonObject ?? new JsonObject();
    }

    private static async Task<ApiException> ErrorAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text) is JsonObject status && status.Str("kind") == "Status")
                return new ApiException((int)r.StatusCode, status.Str("reason") ?? r.StatusCode.ToString(), status.Str("message") ?? text);
        }
        catch (JsonException)
        {
        }
        return new ApiException((int)r.StatusCode, r.StatusCode.ToString(), text);
    }
}
