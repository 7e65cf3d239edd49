using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Orchestrator.Agent.Runtime;

public sealed partial class DockerClient
{
    /// <summary><c>GET /images/{name}/json</c>; 404 (<see cref="DockerApiException.IsNotFound"/>) when absent.</summary>
    public Task<ImageInspect> InspectImageAsync(string name, CancellationToken cancellationToken) =>
        GetJsonAsync($"images/{name}/json", Json.ImageInspect, cancellationToken);

    /// <summary>The image, or null when the daemon does not have it.</summary>
    public async Task<ImageInspect?> TryInspectImageAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectImageAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary><c>GET /images/json</c>, optionally filtered (<c>reference</c>, <c>label</c>, <c>dangling</c>).</summary>
    public Task<List<ImageSummary>> ListImagesAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, CancellationToken cancellationToken) =>
        GetJsonAsync("images/json?" + FiltersQuery(filters), Json.ListImageSummary, cancellationToken);

    /// <summary>
    /// <c>POST /images/create?fromImage=…</c>: pulls <paramref name="image"/> (tag <c>latest</c> when it names none —
    /// without a tag Docker would pull every tag). The daemon streams progress and reports failures inside the stream
    /// with a 200 status; both kinds of failure become a <see cref="DockerApiException"/>. Not retried: a pull that
    /// failed half-way is the caller's back-off decision (ImagePullBackOff).
    /// </summary>
    public async Task PullImageAsync(string image, RegistryAuth? auth, IProgress<ProgressMessage>? progress,
        CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitReference(image);
        var query = $"images/create?fromImage={Escape(repository)}" + (tag is null ? "" : $"&tag={Escape(tag)}");
        var authHeader = auth is null ? null : EncodeRegistryAuth(auth);
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, query);
            if (authHeader is not null)
                request.Headers.Add("X-Registry-Auth", authHeader);
            return request;
        }, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await ReadProgressAsync(response, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /images/create?fromSrc=-</c> (what <c>docker import</c> does): makes image <paramref name="image"/> from
    /// a root-filesystem tar, with optional Dockerfile <paramref name="changes"/> such as <c>CMD ["/pause"]</c>. This is
    /// how images appear without a registry (the pause image, test images). The tar is streamed once: no retry.
    /// </summary>
    public async Task ImportImageAsync(Stream rootfsTar, string image, IEnumerable<string>? changes,
        CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitReference(image);
        var query = $"images/create?fromSrc=-&repo={Escape(repository)}&tag={Escape(tag ?? "latest")}";
        foreach (var change in changes ?? [])
            query += $"&changes={Escape(change)}";
        var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = new StreamContent(rootfsTar) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        await ReadProgressAsync(response, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /images/{name}</c>.</summary>
    public Task RemoveImageAsync(string name, bool force, CancellationToken cancellationToken) =>
        DeleteAsync($"images/{name}?force={Bool(force)}", cancellationToken);

    /// <summary>Splits <c>repo[:tag]</c>; a digest reference (<c>@sha256:…</c>) keeps everything in the repository part.</summary>
    internal static (string Repository, string? Tag) SplitReference(string image)
    {
        if (image.Contains('@'))
            return (image, null);
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private static async Task ReadProgressAsync(HttpResponseMessage response, IProgress<ProgressMessage>? progress,
        CancellationToken cancellationToken)
    {
        await foreach (var message in ReadJsonLinesAsync(response, Json.ProgressMessage, cancellationToken).ConfigureAwait(false))
        {
            if (message.Error is not null || message.ErrorDetail?.Message is not null)
            {
                var text = message.ErrorDetail?.Message ?? message.Error!;
                var status = message.ErrorDetail?.Code is int code and >= 400 and < 600
                    ? (HttpStatusCode)code
                    : HttpStatusCode.InternalServerError;
                throw new DockerApiException(status, text);
            }
            progress?.Report(message);
        }
    }

    /// <summary>Docker's streams (progress, events) are JSON objects each followed by a newline.</summary>
    private static async IAsyncEnumerable<T> ReadJsonLinesAsync<T>(HttpResponseMessage response,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Utf8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var item = JsonSerializer.Deserialize(line, typeInfo);
            if (item is not null)
                yield return item;
        }
    }
}
