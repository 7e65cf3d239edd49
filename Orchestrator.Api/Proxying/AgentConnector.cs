using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Orchestrator.Api.Security;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Proxying;

/// <summary>
/// Connections to node agents' streaming ports, mutually authenticated: the API server shows its kubelet client
/// certificate (<see cref="AgentClientCertificate"/>), and accepts only a serving certificate that chains to the
/// cluster CA and is issued to <c>CN=system:node:&lt;the pod's node&gt;</c> — the address a Node reports is not
/// trusted on its own. One handler per node (the check depends on the name), kept for connection reuse.
/// </summary>
public sealed class AgentConnector(ClusterCredentials credentials, X509Certificate2 clientCertificate, TimeProvider time) : IDisposable
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _byNode = new(StringComparer.Ordinal);

    /// <summary>Sends a GET to the agent and returns the response as soon as its headers arrive (the body streams).</summary>
    public async Task<HttpResponseMessage> GetAsync(AgentStreamTarget target, string pathAndQuery, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url(pathAndQuery));
        return await SendAsync(target, request, ct);
    }

    /// <summary>
    /// Opens a WebSocket to the agent with <paramref name="subProtocol"/>. Returns the socket, or — when the agent
    /// answered without upgrading — its HTTP response (a Status) for the caller to pass on.
    /// </summary>
    public async Task<(WebSocket? Socket, HttpResponseMessage? Refusal)> ConnectWebSocketAsync(AgentStreamTarget target,
        string pathAndQuery, string subProtocol, CancellationToken ct)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url(pathAndQuery))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", key);
        request.Headers.Add("Sec-WebSocket-Protocol", subProtocol);
        var response = await SendAsync(target, request, ct);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
            return (null, response);
        try
        {
            var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
            if (!response.Headers.TryGetValues("Sec-WebSocket-Accept", out var accept) || accept.FirstOrDefault() != expected)
                throw new ApiException(502, "InternalError", $"the agent of node \"{target.Node}\" answered a WebSocket upgrade with a wrong Sec-WebSocket-Accept");
            if (!response.Headers.TryGetValues("Sec-WebSocket-Protocol", out var chosen) || chosen.FirstOrDefault() != subProtocol)
                throw new ApiException(502, "InternalError", $"the agent of node \"{target.Node}\" did not accept the {subProtocol} protocol");
            var stream = await response.Content.ReadAsStreamAsync(ct);
            return (WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                // The subprotocol was checked above; the options would reject SPDY/3.1+portforward.k8s.io's '/'.
                IsServer = false,
                KeepAliveInterval = KeepAliveInterval,
            }), null);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(AgentStreamTarget target, HttpRequestMessage request, CancellationToken ct)
    {
        var invoker = _byNode.GetOrAdd(target.Node, CreateInvoker);
        using var timeout = new CancellationTokenSource(HandshakeTimeout, time);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await invoker.SendAsync(request, handshake.Token);
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            throw new ApiException(502, "InternalError",
                $"error dialing backend: the agent at {target.Address}:{target.Port} did not prove it is node \"{target.Node}\" " +
                $"(its certificate must be signed by the cluster CA for system:node:{target.Node}): {ex.InnerException.Message}");
        }
        catch (HttpRequestException ex)
        {
            throw new ApiException(503, "ServiceUnavailable",
                $"error dialing backend: the agent of node \"{target.Node}\" at {target.Address}:{target.Port} is unreachable: {Innermost(ex).Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ApiException(503, "ServiceUnavailable",
                $"error dialing backend: the agent of node \"{target.Node}\" at {target.Address}:{target.Port} did not answer within {HandshakeTimeout.TotalSeconds:0} s");
        }
    }

    private HttpMessageInvoker CreateInvoker(string node)
    {
        var expectedName = "system:node:" + node;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                    certificate is X509Certificate2 leaf && chain != null
                    && Orchestrator.Core.Client.ClusterCaTrust.Verify(credentials.CaCertificate, leaf, chain)
                    && leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false) == expectedName,
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException != null && ex.InnerException is not SocketException) ex = ex.InnerException;
        return ex.InnerException ?? ex;
    }

    public void Dispose()
    {
        foreach (var invoker in _byNode.Values) invoker.Dispose();
        _byNode.Clear();
    }
}
