using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Tests.Agent.Proxy.Udp;

/// <summary>A client socket on a loopback address that sends to a forwarder and waits (bounded) for one reply.</summary>
internal sealed class UdpTestClient : IDisposable
{
    private readonly Socket _socket;

    public UdpTestClient(IPAddress address)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public Task SendAsync(IPEndPoint to, byte[] payload) => _socket.SendToAsync(payload, SocketFlags.None, to);

    /// <summary>The next datagram and who sent it; throws <see cref="OperationCanceledException"/> after <paramref name="timeout"/>.</summary>
    public async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var buffer = new byte[65536];
        var r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (buffer[..r.ReceivedBytes], (IPEndPoint)r.RemoteEndPoint);
    }

    public async Task<(byte[] Data, IPEndPoint From)> RequestAsync(IPEndPoint to, byte[] payload)
    {
        await SendAsync(to, payload);
        return await ReceiveAsync();
    }

    public void Dispose() => _socket.Dispose();
}
