using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>Creates the responder's bound sockets.</summary>
internal static class DnsSockets
{
    // Linux: IP_FREEBIND (15) at SOL_IP (0), IPV6_FREEBIND (78) at SOL_IPV6 (41). The cluster DNS IP is put on the node
    // by the address programmer, which may not have run yet: with FREEBIND the bind does not depend on it.
    private const int SolIp = 0;
    private const int IpFreebind = 15;
    private const int SolIpv6 = 41;
    private const int Ipv6Freebind = 78;

    public static Socket Bind(IPEndPoint endpoint, SocketType type, int receiveBufferBytes = 0)
    {
        var socket = new Socket(endpoint.AddressFamily, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var v4 = endpoint.AddressFamily == AddressFamily.InterNetwork;
                try
                {
                    socket.SetRawSocketOption(v4 ? SolIp : SolIpv6, v4 ? IpFreebind : Ipv6Freebind, BitConverter.GetBytes(1));
                }
                catch (SocketException)
                {
                    // Without FREEBIND the bind below fails until the address exists; the server retries.
                }
            }

            if (type == SocketType.Stream) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (receiveBufferBytes > 0) socket.ReceiveBufferSize = receiveBufferBytes;
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
