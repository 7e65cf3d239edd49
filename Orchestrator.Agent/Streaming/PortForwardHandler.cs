using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// <c>GET /portForward/{ns}/{pod}</c>, a WebSocket upgrade with <c>SPDY/3.1+portforward.k8s.io</c>: SPDY frames
/// tunnelled in binary messages (<see cref="PortForwardSession"/>), forwarding to the pod's IP.
/// </summary>
public sealed class PortForwardHandler(PodContainerLocator locator, TimeProvider time, ILogger<PortForwardHandler> logger)
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public async Task HandleAsync(HttpContext ctx, string ns, string pod)
    {
        var ct = ctx.RequestAborted;
        if (!ctx.WebSockets.IsWebSocketRequest)
            throw new StreamingRequestException(400, "BadRequest", $"Upgrade request required: port-forward speaks WebSocket ({StreamingProtocol.SpdyPortForward})");
        if (!ctx.WebSockets.WebSocketRequestedProtocols.Contains(StreamingProtocol.SpdyPortForward, StringComparer.Ordinal))
            throw new StreamingRequestException(400, "BadRequest", $"port-forward needs the WebSocket subprotocol {StreamingProtocol.SpdyPortForward}");
        var ip = IPAddress.Parse(await locator.PodIpAsync(ns, pod, ctx.Request.Query["podUID"], ct));

        using var socket = await WebSocketUpgrade.AcceptAsync(ctx, StreamingProtocol.SpdyPortForward, KeepAlive);
        await using var stream = new WebSocketByteStream(socket);
        using var session = new PortForwardSession(stream, ip, $"{ns}/{pod}", time, logger);
        await session.RunAsync(ct);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, time);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
