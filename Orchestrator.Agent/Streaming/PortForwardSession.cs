using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Streaming.Spdy;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// The server side of <c>portforward.k8s.io</c> over SPDY/3.1, as kubectl drives it: for every local connection the
/// client opens two streams with the same <c>requestid</c> — an <c>error</c> stream (which it half-closes at once) and
/// a <c>data</c> stream — each carrying the pod <c>port</c>. Every stream gets a SYN_REPLY; once both of a request are
/// there, the pod's port is dialled and bytes flow both ways. The pod closing its side ends the data stream (FIN)
/// and then the error stream; a dial failure is written on the error stream, which kubectl prints. Client bytes
/// pass through a small bounded queue per request, so a slow pod slows the whole connection rather than filling memory.
/// </summary>
public sealed class PortForwardSession(Stream transport, IPAddress podIp, string podName, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(10);
    private const int QueuedChunks = 8;

    private readonly SpdyHeaderBlock _headers = new();
    private readonly Dictionary<uint, Request> _byStream = [];
    private readonly Dictionary<string, Request> _byRequestId = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _forwards = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var writer = new SpdyFrameWriter(transport, _headers);
        var reader = new SpdyFrameReader(transport);
        try
        {
            while (await reader.ReadAsync(session.Token) is { } frame)
            {
                if (!frame.IsControl)
                {
                    await OnDataAsync(frame, session.Token);
                    continue;
                }
                switch (frame.Type)
                {
                    case SpdyFrameType.SynStream:
                        await OnSynStreamAsync(frame, writer, session.Token);
                        break;
                    case SpdyFrameType.RstStream when frame.Payload.Length >= 8:
                        if (_byStream.GetValueOrDefault(StreamIdAt(frame.Payload, 0)) is { } reset) reset.Cancel();
                        break;
                    case SpdyFrameType.Ping when frame.Payload.Length >= 4:
                        await writer.PingAsync(BinaryPrimitives.ReadUInt32BigEndian(frame.Payload), session.Token);
                        break;
                    case SpdyFrameType.GoAway:
                        return;
                }
                // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do (no flow control on this connection, as with spdystream).
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or OperationCanceledException
                                       or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            logger.LogDebug("Port-forward session for pod {Pod} ended: {Error}", podName, ex.Message);
        }
        finally
        {
            foreach (var request in _byRequestId.Values) request.EndUpload();
            await session.CancelAsync();
            foreach (var request in _byRequestId.Values) request.Cancel();
            await Task.WhenAll(_forwards).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task OnSynStreamAsync(SpdyFrame frame, SpdyFrameWriter writer, CancellationToken ct)
    {
        if (frame.Payload.Length < 10) throw new InvalidDataException("SYN_STREAM too short");
        var streamId = StreamIdAt(frame.Payload, 0);
        var headers = _headers.Read(frame.Payload.AsSpan(10));
        var type = headers.GetValueOrDefault("streamtype");
        var requestId = headers.GetValueOrDefault("requestid") ?? "";
        if (!int.TryParse(headers.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            || type is not ("error" or "data"))
        {
            await writer.RstStreamAsync(streamId, SpdyFrameType.RstProtocolError, ct);
            return;
        }
        await writer.SynReplyAsync(streamId, ct);
        if (!_byRequestId.TryGetValue(requestId, out var request))
            _byRequestId[requestId] = request = new Request(port);
        if (type == "error") request.ErrorStream = streamId;
        else request.DataStream = streamId;
        _byStream[streamId] = request;
        if (request is { ErrorStream: not null, DataStream: not null })
            _forwards.Add(Task.Run(() => ForwardAsync(request, writer, ct), CancellationToken.None));
    }

    private async Task OnDataAsync(SpdyFrame frame, CancellationToken ct)
    {
        if (_byStream.GetValueOrDefault(frame.StreamId) is not { } request || request.DataStream != frame.StreamId) return;
        if (frame.Payload.Length > 0) await request.UploadAsync(frame.Payload, ct);
        if (frame.Fin) request.EndUpload();
    }

    /// <summary>One forwarded connection: dial, then pod → client in DATA frames while the queue feeds client → pod.</summary>
    private async Task ForwardAsync(Request request, SpdyFrameWriter writer, CancellationToken sessionToken)
    {
        using var forward = CancellationTokenSource.CreateLinkedTokenSource(sessionToken, request.Cancelled);
        var ct = forward.Token;
        var data = request.DataStream!.Value;
        var error = request.ErrorStream!.Value;
        using var socket = new Socket(podIp.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            try
            {
                using var dial = new CancellationTokenSource(DialTimeout, time);
                using var dialOrStop = CancellationTokenSource.CreateLinkedTokenSource(ct, dial.Token);
                await socket.ConnectAsync(new IPEndPoint(podIp, request.Port), dialOrStop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                var message = $"error forwarding port {request.Port} to pod {podName} at {podIp}: {(ex is SocketException s ? s.Message : "dial timed out")}";
                logger.LogInformation("{Message}", message);
                await writer.DataAsync(error, Encoding.UTF8.GetBytes(message), fin: true, ct);
                await writer.DataAsync(data, ReadOnlyMemory<byte>.Empty, fin: true, ct);
                return;
            }

            var upload = Task.Run(async () =>
            {
                await foreach (var chunk in request.Uploads.ReadAllAsync(ct))
                    await socket.SendAsync(chunk, SocketFlags.None, ct);
                socket.Shutdown(SocketShutdown.Send);
            }, ct);

            var buffer = new byte[SpdyFrameWriter.MaxDataPayload];
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
                await writer.DataAsync(data, buffer.AsMemory(0, n), fin: false, ct);
            await writer.DataAsync(data, ReadOnlyMemory<byte>.Empty, fin: true, ct);
            await writer.DataAsync(error, ReadOnlyMemory<byte>.Empty, fin: true, ct);
            // The client resets the data stream once it has read our FIN; until then its bytes may still be going up.
            await upload.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException
                                       or System.Net.WebSockets.WebSocketException)
        {
            logger.LogDebug("Port-forward to {Pod}:{Port} ended: {Error}", podName, request.Port, ex.Message);
        }
    }

    private static uint StreamIdAt(byte[] payload, int offset) => BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset)) & 0x7fff_ffff;

    public void Dispose() => _headers.Dispose();

    /// <summary>The two streams of one forwarded connection and the client's bytes waiting for the pod.</summary>
    private sealed class Request(int port)
    {
        private readonly Channel<byte[]> _uploads = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource _cancel = new();

        public int Port { get; } = port;
        public uint? ErrorStream { get; set; }
        public uint? DataStream { get; set; }
        public ChannelReader<byte[]> Uploads => _uploads.Reader;
        public CancellationToken Cancelled => _cancel.Token;

        public async Task UploadAsync(byte[] chunk, CancellationToken ct)
        {
            if (_cancel.IsCancellationRequested) return;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _cancel.Token);
            try
            {
                await _uploads.Writer.WriteAsync(chunk, either.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException && !ct.IsCancellationRequested)
            {
                // The forward is over (reset, or the pod hung up): the bytes have nowhere to go.
            }
        }

        public void EndUpload() => _uploads.Writer.TryComplete();

        public void Cancel()
        {
            _uploads.Writer.TryComplete();
            _cancel.Cancel();
        }
    }
}
