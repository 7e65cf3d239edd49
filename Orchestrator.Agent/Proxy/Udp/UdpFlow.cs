using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// One client's flow through a <see cref="UdpServiceForwarder"/>: a UDP socket connected to the backend chosen for
/// the client when its first datagram arrived. Connecting it means the kernel delivers only that backend's replies to
/// it and reports the backend's ICMP errors on it. <see cref="LastActivityTicks"/> (UTC ticks of the forwarder's
/// clock) moves on every datagram either way.
/// </summary>
internal sealed class UdpFlow(IPEndPoint client, IPEndPoint backend, Socket socket, long createdTicks)
{
    private long _lastActivityTicks = createdTicks;

    public IPEndPoint Client { get; } = client;
    public IPEndPoint Backend { get; } = backend;
    public Socket Socket { get; } = socket;
    public Task RelayReplies { get; set; } = Task.CompletedTask;

    public long LastActivityTicks => Volatile.Read(ref _lastActivityTicks);

    public void Touch(long nowTicks) => Volatile.Write(ref _lastActivityTicks, nowTicks);
}
