using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Orchestrator.Api.Protobuf;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Api.Resources;

/// <summary>Reads a request body as JSON or YAML, with the Kubernetes size limit and errors that say where the body is wrong.</summary>
public static class RequestBody
{
    /// <summary>The apiserver's limit for one request body.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    public static async Task<string> ReadTextAsync(HttpContext ctx, CancellationToken ct)
    {
        using var buffer = await ReadBytesAsync(ctx, ct);
        try
        {
            return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.BadRequest("the request body is not valid UTF-8");
        }
    }

    private static async Task<MemoryStream> ReadBytesAsync(HttpContext ctx, CancellationToken ct)
    {
        if (ctx.Request.ContentLength > MaxBytes) throw TooLarge();
        var feature = ctx.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = MaxBytes + 1;
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxBytes) throw TooLarge();
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
        return buffer;
    }

    /// <summary>Parses the body by its Content-Type: YAML for application/yaml and apply patches, JSON otherwise.</summary>
    public static async Task<JsonNode> ReadNodeAsync(HttpContext ctx, CancellationToken ct)
    {
        var contentType = MediaType(ctx.Request.ContentType);
        // kubectl's typed clients (create namespace/configmap/service/deployment, drain) send protobuf bodies and
        // cannot fall back to JSON, so we decode them into the same JSON tree.
        if (KubernetesProtobuf.IsProtobuf(contentType))
        {
            using var bytes = await ReadBytesAsync(ctx, ct);
            return KubernetesProtobuf.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        }
        var text = await ReadTextAsync(ctx, ct);
        var node = IsYaml(contentType) ? YamlJson.ParseOne(text) : ParseJson(text);
        return node ?? throw ApiException.BadRequest("the request body is empty");
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext ctx, CancellationToken ct)
    {
        var node = await ReadNodeAsync(ctx, ct);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON or YAML object");
    }

    public static bool IsYaml(string mediaType) =>
        mediaType is "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" or "application/apply-patch+yaml";

    public static string MediaType(string? contentType) =>
        (contentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    public static JsonNode? ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = false });
            Materialize(node);
            return node;
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var col = (e.BytePositionInLine ?? 0) + 1;
            throw ApiException.BadRequest($"couldn't decode JSON at line {line}, column {col}: {FirstSentence(e.Message)}");
        }
        catch (ArgumentException e)
        {
            // JsonObject rejects duplicate keys while materialising.
            throw ApiException.BadRequest($"couldn't decode JSON: {e.Message}");
        }
    }

    /// <summary>JsonNode builds children lazily; walking the tree now surfaces any error here rather than mid-request.</summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o) Materialize(v);
                break;
            case JsonArray a:
                foreach (var v in a) Materialize(v);
                break;
        }
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    private static ApiException TooLarge() => ApiException.TooLarge("Request entity too large: limit is 3145728");
}
