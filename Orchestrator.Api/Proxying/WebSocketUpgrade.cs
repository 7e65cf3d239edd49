using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Orchestrator.Api.Proxying;

/// <summary>
/// Accepts a WebSocket upgrade with a subprotocol ASP.NET Core refuses to name: <c>SPDY/3.1+portforward.k8s.io</c>
/// contains '/', which is not a token character, so <c>AcceptWebSocketAsync</c> throws. The handshake is done here
/// by hand (RFC 6455 §4.2.2) and the upgraded stream wrapped as a server WebSocket.
/// </summary>
public static class WebSocketUpgrade
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A WebSocket upgrade request (HTTP/1.1 GET with <c>Upgrade: websocket</c>).</summary>
    public static bool IsWebSocketRequest(HttpContext ctx) =>
        HttpMethods.IsGet(ctx.Request.Method)
        && ctx.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && ctx.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>The subprotocols the client offers, in its order.</summary>
    public static IReadOnlyList<string> RequestedProtocols(HttpContext ctx) =>
        ctx.Request.Headers["Sec-WebSocket-Protocol"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    public static async Task<WebSocket> AcceptAsync(HttpContext ctx, string subProtocol, TimeSpan keepAlive)
    {
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        var key = ctx.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
            throw Orchestrator.Core.Errors.ApiException.BadRequest("not a WebSocket upgrade request");
        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "websocket";
        ctx.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
        ctx.Response.Headers["Sec-WebSocket-Protocol"] = subProtocol;
        var stream = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive });
    }
}
