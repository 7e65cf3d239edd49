using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// DNS over TCP (RFC 7766): length-prefixed messages, several queries per connection answered in order, the
/// connection closed after <see cref="ClusterDnsOptions.TcpIdleTimeoutSeconds"/> without a query, on a malformed frame
/// or when <see cref="ClusterDnsOptions.MaxTcpConnections"/> are already open (then at once).
/// </summary>
internal sealed class TcpDnsListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ClusterDnsResponder _responder;
    private readonly ClusterDnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    private TcpDnsListener(Socket socket, ClusterDnsResponder responder, ClusterDnsOptions options, TimeProvider time, ILogger log)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _responder = responder;
        _options = options;
        _time = time;
        _log = log;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    /// <summary>The bound endpoint, captured at start: readable while (and after) the listener is disposed.</summary>
    public IPEndPoint LocalEndPoint { get; }

    public static TcpDnsListener Start(IPEndPoint endpoint, ClusterDnsResponder responder, ClusterDnsOptions options, TimeProvider time, ILogger log)
    {
        var socket = DnsSockets.Bind(endpoint, SocketType.Stream);
        try
        {
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpDnsListener(socket, responder, options, time, log);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.LogDebug("ClusterDns TCP: accept failed: {Error}", e.SocketErrorCode);
                continue;
            }

            if (Interlocked.Increment(ref _connections) > Math.Max(1, _options.MaxTcpConnections))
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        try
        {
            client.NoDelay = true;
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var prefix = new byte[DnsTcpFraming.PrefixLength];
            var query = new byte[DnsMessageWriter.MaxMessageSize];
            var response = new byte[DnsTcpFraming.PrefixLength + DnsMessageWriter.MaxMessageSize];
            var idle = TimeSpan.FromSeconds(Math.Max(1, _options.TcpIdleTimeoutSeconds));
            while (!ct.IsCancellationRequested)
            {
                using var timer = new CancellationTokenSource(idle, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
                var got = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, linked.Token);
                if (got < prefix.Length) return;
                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                await stream.ReadExactlyAsync(query.AsMemory(0, length), linked.Token);

                var handling = _responder.Handle(query.AsSpan(0, length), response.AsSpan(DnsTcpFraming.PrefixLength), tcp: true, out var written, out var forward);
                if (handling == DnsHandling.Drop) return;
                if (handling == DnsHandling.Forward)
                {
                    var answer = await _responder.ForwardAsync(forward!, tcp: true, ct);
                    await stream.WriteAsync(DnsTcpFraming.Frame(answer), ct);
                    continue;
                }

                BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)written);
                await stream.WriteAsync(response.AsMemory(0, DnsTcpFraming.PrefixLength + written), ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Idle timeout, the client hung up or the listener is stopping: the connection simply ends.
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "ClusterDns TCP: connection failed");
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
    }
}
