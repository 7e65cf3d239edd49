using System.Buffers;
using System.Net.WebSockets;

namespace Orchestrator.Api.Proxying;

/// <summary>
/// Joins the client's WebSocket to the agent's, message for message (binary frames with their channel byte, pings
/// answered by each hop itself). Each direction awaits its send before the next receive, so a slow reader slows the
/// writer instead of filling the server's memory. A close frame is passed on with its code; a connection that breaks
/// is passed on as an abort, so kubectl reports an abnormal closure rather than a clean end.
/// </summary>
public static class WebSocketRelay
{
    private const int BufferSize = 64 * 1024;
    /// <summary>After one side closed, how long the other gets to complete the close handshake.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(WebSocket client, WebSocket agent, TimeProvider time, CancellationToken ct)
    {
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var toAgent = PumpAsync(client, agent, relay.Token);
        var toClient = PumpAsync(agent, client, relay.Token);
        var first = await Task.WhenAny(toAgent, toClient);
        var other = first == toAgent ? toClient : toAgent;
        if (await first)
        {
            try
            {
                await other.WaitAsync(CloseGrace, time, ct);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
            }
        }
        await relay.CancelAsync();
        if (client.State != WebSocketState.Closed) client.Abort();
        if (agent.State != WebSocketState.Closed) agent.Abort();
        await Task.WhenAll(toAgent, toClient);
    }

    /// <summary>Copies messages until a close frame (true, passed on) or a failure (false).</summary>
    private static async Task<bool> PumpAsync(WebSocket from, WebSocket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer.AsMemory(), ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        var status = from.CloseStatus is { } s && s != WebSocketCloseStatus.Empty ? s : WebSocketCloseStatus.NormalClosure;
                        await to.CloseOutputAsync(status, from.CloseStatusDescription, ct);
                    }
                    return true;
                }
                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
