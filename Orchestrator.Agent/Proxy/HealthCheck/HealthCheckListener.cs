using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// A minimal HTTP responder on one address and port: reads a request head (at most 8 KiB, 5 s), answers with the
/// port's current <see cref="HealthCheckStatus"/> and closes. Any method and path get the answer (as kube-proxy's
/// does); HEAD gets no body; bytes that are not an HTTP request line get 400. No Kestrel: one socket, no pipelines,
/// at most <see cref="MaxConcurrentConnections"/> connections at a time, so hundreds of ports cost little memory.
/// </summary>
internal sealed class HealthCheckListener : IAsyncDisposable
{
    private const int MaxRequestHead = 8192;
    private const int MaxConcurrentConnections = 32;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly Func<HealthCheckStatus> _status;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    /// <summary>Binds and listens at once; throws the bind's <see cref="SocketException"/> (address in use, …).</summary>
    public HealthCheckListener(IPEndPoint endPoint, Func<HealthCheckStatus> status, ILogger logger)
    {
        _status = status;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(endPoint);
            _socket.Listen(64);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogDebug("Health check {Endpoint}: accept failed: {Error}", EndPoint, e.SocketErrorCode);
                continue;
            }
            if (Interlocked.Increment(ref _connections) > MaxConcurrentConnections)
            {
                Interlocked.Decrement(ref _connections);
                connection.Dispose();
                continue;
            }
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            var head = new byte[MaxRequestHead];
            var length = 0;
            var end = -1;
            while (end < 0 && length < head.Length)
            {
                var n = await connection.ReceiveAsync(head.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0) break;
                length += n;
                end = head.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            }
            var response = RequestMethod(head.AsSpan(0, length)) is { } method
                ? HealthCheckResponse.Build(_status(), includeBody: method != "HEAD")
                : HealthCheckResponse.BadRequest();
            await connection.SendAsync(response, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // a client that went away or never finished its request
        }
        finally
        {
            connection.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>The method of an HTTP/1.x request line ("GET / HTTP/1.1"), or null when the bytes are not one.</summary>
    private static string? RequestMethod(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd <= 0) return null;
        var line = System.Text.Encoding.ASCII.GetString(head[..lineEnd]);
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        foreach (var c in parts[0])
            if (c is < 'A' or > 'Z') return null;
        return parts[0];
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }
}
