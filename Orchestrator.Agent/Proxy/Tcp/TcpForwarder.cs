using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Orchestrator.Agent.Proxy.Balancing;

namespace Orchestrator.Agent.Proxy.Tcp;

/// <summary>
/// Carries one accepted client connection to a backend:
/// <list type="number">
/// <item>source ranges and the traffic policy narrow the endpoints; none left → reset the client at once;</item>
/// <item>dial: the balancer's pick, then the next endpoint after each failure, with the growing dial timeouts
///   (250 ms, 500 ms, 1 s, 2 s); all failed → reset;</item>
/// <item>optionally the PROXY header, then bytes both ways until both sides have finished.</item>
/// </list>
/// The client side is Kestrel's socket transport: its receive loop fills <c>Transport.Input</c> (no buffer held while
/// idle). Bytes towards the client go straight to the accepted <see cref="Socket"/> (from
/// <see cref="IConnectionSocketFeature"/>) — Kestrel's <c>Output</c> cannot half-close, and writing the socket
/// ourselves lets a backend's FIN become <c>Shutdown(Send)</c> on the client while the client can still send. The
/// backend side is a raw socket for the same reason. Kestrel's <c>Output</c> is never written; completing it at the
/// end closes the connection.
/// </summary>
public sealed class TcpForwarder(ServiceProxyOptions options, TimeProvider time, ILogger<TcpForwarder> log)
{
    public async Task RunAsync(ConnectionContext connection, ListenerRoute route)
    {
        var clientSocket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        var clientEndPoint = connection.RemoteEndPoint as IPEndPoint;
        if (clientSocket == null || clientEndPoint == null)
        {
            await CloseAsync(connection, null, reset: true);
            return;
        }
        var clientIp = clientEndPoint.Address.IsIPv4MappedToIPv6 ? clientEndPoint.Address.MapToIPv4() : clientEndPoint.Address;
        var balancer = route.Balancer;
        var table = balancer.Table;
        var kind = route.Desired.Kind;

        if (!table.Admits(kind, clientIp))
        {
            log.LogDebug("{Listener}: {Client} is outside loadBalancerSourceRanges of {Service}; reset", route.Desired.Key, clientIp, route.Desired.ServiceKey);
            await CloseAsync(connection, clientSocket, reset: true);
            return;
        }

        var (backend, backendSocket) = await DialAsync(balancer, table, table.LocalOnly(kind), clientIp, route);
        if (backend == null || backendSocket == null)
        {
            await CloseAsync(connection, clientSocket, reset: true);
            return;
        }

        backend.Health.ConnectionOpened();
        var reset = true;
        try
        {
            clientSocket.NoDelay = true;
            if (table.ProxyProtocol != 0 && connection.LocalEndPoint is IPEndPoint local)
                await SendAllAsync(backendSocket, ProxyProtocolPreamble.Build(table.ProxyProtocol, clientEndPoint, local));
            var upstream = PumpClientToBackendAsync(connection.Transport.Input, backendSocket);
            var downstream = PumpBackendToClientAsync(backendSocket, clientSocket);
            // Whichever side fails first (a reset) ends the other at once: dispose both sockets with RST.
            var first = await Task.WhenAny(upstream, downstream);
            if (!await first)
            {
                Abort(backendSocket);
                Abort(clientSocket);
            }
            reset = !(await upstream & await downstream);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or ConnectionAbortedException)
        {
            log.LogDebug("{Listener}: connection from {Client} to {Backend} ended: {Error}", route.Desired.Key, clientEndPoint, backend, e.Message);
        }
        finally
        {
            backend.Health.ConnectionClosed();
            if (reset) Abort(backendSocket);
            backendSocket.Dispose();
            await CloseAsync(connection, clientSocket, reset);
        }
    }

    private async Task<(Backend?, Socket?)> DialAsync(ServicePortBalancer balancer, BackendTable table, bool localOnly, IPAddress clientIp, ListenerRoute route)
    {
        if ((localOnly ? table.Local : table.All).Length == 0)
        {
            log.LogDebug("{Listener}: no ready endpoint for {Service}; reset", route.Desired.Key, route.Desired.ServiceKey);
            return (null, null);
        }
        var tried = new TriedBackends();
        var timeouts = options.ConnectTimeouts;
        for (var attempt = 0; attempt < Math.Min(timeouts.Count, 4); attempt++)
        {
            var backend = balancer.Pick(table, localOnly, clientIp, ref tried);
            if (backend == null) break;
            tried.Add(backend);
            var socket = await ConnectAsync(backend.EndPoint, timeouts[attempt]);
            if (socket != null)
            {
                balancer.Succeeded(backend);
                return (backend, socket);
            }
            if (balancer.Failed(backend, clientIp))
                log.LogInformation("{Service}: endpoint {Backend} ejected after {Count} failed connects", route.Desired.ServiceKey, backend, options.EjectAfterFailures);
        }
        log.LogDebug("{Listener}: every dial attempt for {Service} failed; reset", route.Desired.Key, route.Desired.ServiceKey);
        return (null, null);
    }

    private async Task<Socket?> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout, time);
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Client → backend until the client's FIN (then FIN to the backend: true) or an error (false).</summary>
    private static async Task<bool> PumpClientToBackendAsync(PipeReader input, Socket backend)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    foreach (var segment in buffer)
                        await SendAllAsync(backend, segment);
                }
                finally
                {
                    input.AdvanceTo(buffer.End);
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    backend.Shutdown(SocketShutdown.Send);
                    return true;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or ConnectionAbortedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Backend → client until the backend's FIN (then FIN to the client: true) or an error (false). Waits for data
    /// with a zero-byte receive before renting a buffer, so an idle connection holds none.
    /// </summary>
    private async Task<bool> PumpBackendToClientAsync(Socket backend, Socket client)
    {
        var size = options.BufferSize;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer == null)
                {
                    await backend.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                }
                var n = await backend.ReceiveAsync(buffer.AsMemory(0, size), SocketFlags.None);
                if (n == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return true;
                }
                await SendAllAsync(client, buffer.AsMemory(0, n));
                // A full read means more is probably waiting: keep the buffer. A short one: likely idle next.
                if (n < size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (buffer != null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None);
            data = data[sent..];
        }
    }

    /// <summary>Closes the socket with RST (SO_LINGER 0) instead of FIN.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task CloseAsync(ConnectionContext connection, Socket? clientSocket, bool reset)
    {
        if (reset && clientSocket != null) Abort(clientSocket);
        if (reset) connection.Abort();
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
        await connection.DisposeAsync();
    }
}
