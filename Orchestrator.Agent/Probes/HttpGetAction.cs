using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// The httpGet handler of probes and lifecycle hooks, done the way the kubelet's HTTP prober does it:
/// <list type="bullet">
/// <item>host defaults to the pod IP; port by number or by the container's port name; path may carry a query;</item>
/// <item><c>User-Agent: kube-probe/1.32</c> and <c>Accept: */*</c> unless the spec sets them (an empty Accept
/// removes it); a <c>Host</c> header sets the request's Host;</item>
/// <item>HTTPS without certificate checks; no proxy (a probe must never leave for an HTTP_PROXY); no keep-alive;</item>
/// <item>redirects (301/302/303/307/308) followed only while they stay on the same host name, at most 10; a redirect
/// elsewhere ends the request with that 3xx answer;</item>
/// <item>the body is read up to <see cref="MaxBodyBytes"/> (10 KiB) and the rest dropped.</item>
/// </list>
/// What the status means is the caller's business: a probe passes on 200-399, a hook on any answer.
/// </summary>
public sealed class HttpGetAction : IDisposable
{
    public const string UserAgent = "kube-probe/1.32";
    public const int MaxBodyBytes = 10 * 1024;
    public const int MaxRedirects = 10;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public HttpGetAction(TimeProvider time)
    {
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // The kubelet probes with InsecureSkipVerify: pods serve self-signed certificates on their health ports.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        {
            // Bounded per request with the probe's timeout on the injected clock instead.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Builds the request of an <c>httpGet</c> handler for a container (throws <see cref="HandlerSpecException"/>).</summary>
    public static HttpGetRequest BuildRequest(ContainerProbeTarget target, JsonObject httpGet)
    {
        var scheme = (httpGet.Str("scheme") ?? "HTTP").ToLowerInvariant();
        if (scheme is not ("http" or "https"))
            throw new HandlerSpecException($"unsupported scheme: {httpGet.Str("scheme")}");
        var host = httpGet.Str("host");
        if (string.IsNullOrEmpty(host))
            host = target.PodIp;
        if (string.IsNullOrEmpty(host))
            throw new HandlerSpecException("the pod has no IP yet");
        var port = ContainerPortResolver.Resolve(httpGet["port"], target.Container);

        var path = httpGet.Str("path") ?? "";
        string? query = null;
        var q = path.IndexOf('?');
        if (q >= 0)
        {
            query = path[(q + 1)..];
            path = path[..q];
        }
        if (!path.StartsWith('/'))
            path = "/" + path;
        var builder = new UriBuilder(scheme, host.Trim('[', ']'), port) { Path = path };
        if (query is not null)
            builder.Query = query;

        var headers = new List<KeyValuePair<string, string>>();
        if (httpGet["httpHeaders"] is JsonArray list)
            foreach (var h in list)
                if (h.Str("name") is { Length: > 0 } name)
                    headers.Add(new(name, h.Str("value") ?? ""));
        return new HttpGetRequest(builder.Uri, headers);
    }

    /// <summary>
    /// Sends the GET (following same-host redirects) within <paramref name="timeout"/> (none for hooks, which only
    /// <paramref name="cancellationToken"/> bounds). Throws <see cref="HttpGetException"/> when no answer came, and
    /// <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<HttpGetResponse> GetAsync(HttpGetRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var deadline = timeout is { } t ? new CancellationTokenSource(t, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var url = request.Url;
        var stage = "awaiting headers";
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var message = BuildMessage(request, url);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (IsFollowedRedirect(status) && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    // The kubelet's redirect checker: only to the same host name, so that a probe cannot be bounced
                    // at another machine; elsewhere the 3xx itself is the answer.
                    if (string.Equals(next.Host, request.Url.Host, StringComparison.OrdinalIgnoreCase))
                    {
                        if (redirects + 1 >= MaxRedirects)
                            throw new HttpGetException($"Get \"{next}\": stopped after {MaxRedirects} redirects");
                        url = next;
                        continue;
                    }
                }
                stage = "reading body";
                var body = await ReadCappedAsync(response.Content, linked.Token).ConfigureAwait(false);
                return new HttpGetResponse(status, body);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new HttpGetException(stage == "reading body"
                ? $"Get \"{url}\": context deadline exceeded (Client.Timeout or context cancellation while reading body)"
                : $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = e.HttpRequestError == HttpRequestError.ConnectionError
                ? GoNetErrorText.Dial(GoNetErrorText.JoinHostPort(url.Host.Trim('[', ']'), url.Port), e)
                : e.InnerException is HttpIOException or IOException ? "EOF" : e.Message;
            throw new HttpGetException($"Get \"{url}\": {detail}", e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpGetException($"Get \"{url}\": {GoNetErrorText.Describe(e)}", e);
        }
    }

    private static bool IsFollowedRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    private static HttpRequestMessage BuildMessage(HttpGetRequest request, Uri url)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11 };
        string? accept = null;
        var userAgentSet = false;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                message.Headers.Host = value;
            else if (name.Equals("Accept", StringComparison.OrdinalIgnoreCase))
                accept = accept is null ? value : accept + ", " + value;
            else
            {
                userAgentSet |= name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (!userAgentSet)
            message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        // Accept: */* unless the spec sets one; an empty one set on purpose means none at all.
        if (accept is null)
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        else if (accept.Length > 0)
            message.Headers.TryAddWithoutValidation("Accept", accept);
        // No keep-alive, like the kubelet: every probe opens its own connection.
        message.Headers.ConnectionClose = true;
        return message;
    }

    private static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes];
        var filled = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer, 0, filled);
    }

    public void Dispose() => _http.Dispose();
}
