using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// One exec or attach over the <c>channel.k8s.io</c> WebSocket protocol (KUBECTL.md §3.8), joined to a hijacked
/// Docker stream. Two pumps run at once:
/// <list type="bullet">
/// <item>client → process: channel 0 is stdin, 4 a terminal resize, and (v5) <c>[255, 0]</c> stdin EOF, passed on as a
/// TCP half-close so the process reads EOF; the client's close frame also ends stdin;</item>
/// <item>process → client: Docker's stdout/stderr frames as channels 1/2, each awaited before the next is read, so a
/// slow client slows the process instead of filling memory. When the output ends, the status goes out on channel 3,
/// then a close frame 1000.</item>
/// </list>
/// If the client goes away first the Docker stream is closed, which hangs up a terminal session.
/// </summary>
public sealed class RemoteCommandSession(
    WebSocket socket,
    bool closeSignals,
    HijackedStream process,
    RemoteCommandOptions options,
    Func<int, int, CancellationToken, Task> resize,
    Func<CancellationToken, Task<JsonObject>> finalStatus,
    ILogger logger)
{
    /// <summary>Largest payload per WebSocket message (plus the channel byte).</summary>
    public const int MaxFramePayload = 32 * 1024;
    private const int MaxClientMessage = 1024 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);
    private const byte TerminalEof = 0x04;
    private int _stdinEnded;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = Task.Run(() => PumpInputAsync(session.Token), CancellationToken.None);
        try
        {
            await PumpOutputAsync(session.Token);
            var status = await finalStatus(session.Token);
            await SendAsync(RemoteCommandChannel.Error, JsonSerializer.SerializeToUtf8Bytes(status), session.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, session.Token);
            // The client answers with its own close frame, which ends the input pump.
            await input.WaitAsync(CloseHandshakeTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or TimeoutException)
        {
            logger.LogDebug("Remote command session ended early: {Error}", ex.Message);
        }
        finally
        {
            await session.CancelAsync();
            process.Dispose();
            if (socket.State != WebSocketState.Closed) socket.Abort();
            await input.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task PumpOutputAsync(CancellationToken ct)
    {
        await foreach (var frame in process.ReadOutputAsync(ct))
        {
            var channel = frame.Stream == StdStream.Stderr && !options.Tty ? RemoteCommandChannel.Stderr : RemoteCommandChannel.Stdout;
            if (channel == RemoteCommandChannel.Stdout && !options.Stdout) continue;
            if (channel == RemoteCommandChannel.Stderr && !options.Stderr) continue;
            for (var offset = 0; offset < frame.Data.Length; offset += MaxFramePayload)
                await SendAsync(channel, frame.Data.AsMemory(offset, Math.Min(MaxFramePayload, frame.Data.Length - offset)), ct);
        }
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var message = ArrayPool<byte>.Shared.Rent(payload.Length + 1);
        try
        {
            message[0] = channel;
            payload.CopyTo(message.AsMemory(1));
            await socket.SendAsync(message.AsMemory(0, payload.Length + 1), WebSocketMessageType.Binary, true, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>Client messages until its close frame (or the connection drops); then stdin is closed.</summary>
    private async Task PumpInputAsync(CancellationToken ct)
    {
        var buffer = new byte[MaxFramePayload + 1];
        try
        {
            while (true)
            {
                var (message, length, closed) = await ReceiveMessageAsync(buffer, ct);
                buffer = message;
                if (closed) break;
                if (length == 0) continue;
                var payload = message.AsMemory(1, length - 1);
                switch (message[0])
                {
                    case RemoteCommandChannel.Stdin when options.Stdin:
                        await process.WriteAsync(payload, ct);
                        break;
                    case RemoteCommandChannel.Resize:
                        await ResizeAsync(payload, ct);
                        break;
                    case RemoteCommandChannel.Close when closeSignals && payload.Length > 0 && payload.Span[0] == RemoteCommandChannel.Stdin:
                        await EndStdinAsync(ct);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("Remote command input ended: {Error}", ex.Message);
        }
        finally
        {
            // No more input can come: the process sees EOF (a client that vanished cannot type either).
            try
            {
                if (!ct.IsCancellationRequested) await EndStdinAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
            }
        }
    }

    /// <summary>
    /// Stdin EOF. Without a terminal it is a half-close of the Docker stream. With one, Docker would answer a
    /// half-close by detaching the output at once (losing what the process still prints), and a terminal has its
    /// own EOF anyway: the EOF character (^D), which the line discipline hands the process as end of input.
    /// </summary>
    private async Task EndStdinAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stdinEnded, 1) != 0) return;
        if (options.Tty) await process.WriteAsync(new byte[] { TerminalEof }, ct);
        else await process.CloseStdinAsync(ct);
    }

    private async Task<(byte[] Buffer, int Length, bool Closed)> ReceiveMessageAsync(byte[] buffer, CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxClientMessage) throw new WebSocketException(WebSocketError.InvalidMessageType, "client message too large");
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close) return (buffer, 0, true);
            length += result.Count;
            if (result.EndOfMessage) return (buffer, length, false);
        }
    }

    private async Task ResizeAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        try
        {
            var size = JsonNode.Parse(payload.Span);
            var width = size?["Width"]?.GetValue<int>() ?? 0;
            var height = size?["Height"]?.GetValue<int>() ?? 0;
            if (width > 0 && height > 0) await resize(width, height, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or DockerApiException)
        {
            // A bad or early resize must not end the session; the terminal keeps its old size.
            logger.LogDebug("Ignoring a terminal resize: {Error}", ex.Message);
        }
    }
}
