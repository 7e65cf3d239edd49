using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// A small Docker Engine API client (API v1.41, what Debian's docker.io 20.10 speaks) for the calls the agent uses.
/// Plain calls go through one <see cref="HttpClient"/> whose connections are opened by <see cref="DockerEndpoint"/>
/// (unix socket or TCP); hijacked calls (exec start, attach) speak HTTP/1.1 on their own socket so that stdin can be
/// half-closed. Thread-safe; meant to be a singleton.
///
/// Retries (Polly), and only where a retry cannot do anything twice:
/// <list type="bullet">
/// <item>any call whose connection could not be opened (refused, socket file missing: dockerd is starting or
/// restarting) — nothing was sent;</item>
/// <item>GETs answered with a 5xx.</item>
/// </list>
/// Everything else surfaces at once as <see cref="DockerApiException"/> or the transport exception.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    public const string ApiVersion = "v1.41";

    private static readonly DockerJsonContext Json = DockerJsonContext.Default;

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _connectRetry;
    private readonly ResiliencePipeline<HttpResponseMessage> _getRetry;

    public DockerClient(DockerEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = await endpoint.ConnectAsync(ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
            // A restarted dockerd leaves dead pooled connections behind; do not keep them for long.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler)
        {
            // The host part is ignored by the connect callback; it only has to be a valid URI.
            BaseAddress = new Uri($"http://docker/{ApiVersion}/"),
            // Wait, logs and events streams are open-ended; callers bound them with their CancellationToken.
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var backoff = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsConnectFailure),
            MaxRetryAttempts = 5,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
        };
        _connectRetry = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(backoff).Build();
        _getRetry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<Exception>(IsConnectFailure)
                    .HandleResult(r => (int)r.StatusCode >= 500),
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
            }).Build();
    }

    public DockerClient(string dockerHost = DockerEndpoint.DefaultUri, TimeProvider? timeProvider = null)
        : this(DockerEndpoint.Parse(dockerHost), timeProvider)
    {
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>
    /// True when the connection itself failed: the daemon is not listening (yet). The request never left this
    /// process, so retrying cannot duplicate a side effect.
    /// </summary>
    internal static bool IsConnectFailure(Exception ex)
    {
        var socketError = ex switch
        {
            SocketException s => s,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } h => h.InnerException as SocketException,
            _ => null,
        };
        return socketError?.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable
            or SocketError.TryAgain;
    }

    /// <summary><c>GET /_ping</c>: true when the daemon answers, false when it cannot be reached. No retries.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("_ping", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public Task<DockerVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("version", Json.DockerVersion, cancellationToken);

    public Task<DockerSystemInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("info", Json.DockerSystemInfo, cancellationToken);

    // ---- plumbing ----

    /// <summary>
    /// Sends a request built by <paramref name="createRequest"/> (called again per attempt) and returns a successful
    /// or tolerated response; any other status becomes a <see cref="DockerApiException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        HttpStatusCode? tolerated = null,
        bool retryServerErrors = false)
    {
        // HttpClient refuses to send a request message twice, so every attempt builds its own.
        Func<CancellationToken, ValueTask<HttpResponseMessage>> send =
            async ct => await _http.SendAsync(createRequest(), completion, ct).ConfigureAwait(false);
        var response = retryServerErrors
            ? await _getRetry.ExecuteAsync(send, cancellationToken).ConfigureAwait(false)
            : await _connectRetry.ExecuteAsync(send, cancellationToken).ConfigureAwait(false);

        if (response.IsSuccessStatusCode || response.StatusCode == tolerated)
            return response;
        using (response)
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DockerApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new DockerApiException(response.StatusCode, ParseErrorMessage(body, response.ReasonPhrase));
    }

    internal static string ParseErrorMessage(string body, string? fallback)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                var error = JsonSerializer.Deserialize(body, Json.ErrorResponse);
                if (!string.IsNullOrEmpty(error?.Message))
                    return error.Message;
            }
            catch (JsonException)
            {
                // Not Docker's JSON error (a proxy in front of a tcp:// daemon, say): report the text as it is.
            }
            return body.Trim();
        }
        return fallback ?? "(no message)";
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken,
            retryServerErrors: true).ConfigureAwait(false);
        return await ReadJsonAsync(response, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo,
        CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestInfo);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(bytes) },
            cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task PostAsync(string path, byte[]? jsonBody, CancellationToken cancellationToken, HttpStatusCode? tolerated = null)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path) { Content = jsonBody is null ? null : JsonContent(jsonBody) },
            cancellationToken, tolerated: tolerated).ConfigureAwait(false);
    }

    private async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken)
            .ConfigureAwait(false);
    }

    private static ByteArrayContent JsonContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new DockerApiException(response.StatusCode, $"empty answer to {response.RequestMessage?.RequestUri}");
    }

    /// <summary>Docker's <c>filters</c> query value: <c>{"label":["k=v"]}</c>.</summary>
    private static string FiltersQuery(IReadOnlyDictionary<string, IReadOnlyList<string>>? filters)
    {
        if (filters is null || filters.Count == 0)
            return "";
        var map = filters.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        return "filters=" + Uri.EscapeDataString(JsonSerializer.Serialize(map, Json.DictionaryStringListString));
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Bool(bool value) => value ? "1" : "0";

    internal static string EncodeRegistryAuth(RegistryAuth auth)
    {
        // Docker decodes X-Registry-Auth with base64 URL encoding (padding optional).
        var json = JsonSerializer.SerializeToUtf8Bytes(auth, Json.RegistryAuth);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    internal static readonly Encoding Utf8 = new UTF8Encoding(false);

    public void Dispose() => _http.Dispose();
}
