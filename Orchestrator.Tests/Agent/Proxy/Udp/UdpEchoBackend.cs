using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Tests.Agent.Proxy.Udp;

/// <summary>
/// A UDP backend for forwarder tests: answers every datagram with its one-byte <see cref="Id"/> followed by the
/// payload (so a test can tell which backend answered) and remembers every source address it saw (so a test can tell
/// flows apart: each flow has its own outbound socket, hence its own source port).
/// </summary>
internal sealed class UdpEchoBackend : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public UdpEchoBackend(IPAddress address, byte id)
    {
        Id = id;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
    }

    public byte Id { get; }
    public IPEndPoint EndPoint { get; }
    public ConcurrentQueue<IPEndPoint> Sources { get; } = new();

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        var reply = new byte[65537];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                var from = (IPEndPoint)r.RemoteEndPoint;
                Sources.Enqueue(from);
                reply[0] = Id;
                buffer.AsSpan(0, r.ReceivedBytes).CopyTo(reply.AsSpan(1));
                await _socket.SendToAsync(reply.AsMemory(0, r.ReceivedBytes + 1), SocketFlags.None, from, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // an ICMP error from a client that went away; keep serving
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        try { await _loop; } catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
        _stop.Dispose();
    }
}
