using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Proxy.Tcp;

/// <summary>
/// Makes the bound listen sockets Kestrel's socket transport listens on
/// (<see cref="Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateBoundListenSocket"/>).
/// With free-bind on, addresses need not be on an interface yet (IP_FREEBIND): a cluster IP listener binds even
/// before the address programmer has put the VIP on <c>lo</c>, and starts receiving once it has.
/// SO_REUSEADDR only lets a restarted agent rebind past TIME_WAIT; it never lets two listeners share a port on Linux.
/// </summary>
public static class ListenSocketFactory
{
    private const int SolIp = 0;
    private const int IpFreebind = 15;

    public static Socket Create(EndPoint endPoint, bool freeBind)
    {
        if (endPoint is not IPEndPoint ip) throw new ArgumentException($"not an IP endpoint: {endPoint}", nameof(endPoint));
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (freeBind && OperatingSystem.IsLinux() && ip.AddressFamily == AddressFamily.InterNetwork)
                socket.SetRawSocketOption(SolIp, IpFreebind, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
