using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Agent.Proxy.Tcp;

/// <summary>
/// The PROXY protocol header (haproxy's proxy-protocol.txt) the proxy sends to a backend before the client's first
/// byte, so the backend sees the real client through any node: v1 is the text line
/// <c>PROXY TCP4 src dst sport dport\r\n</c>, v2 the binary form (12-byte signature, PROXY command over TCP/IPv4 or
/// TCP/IPv6). Only the TCP sender needs it; helper "udp"'s <c>ProxyProtocol/ProxyProtocolHeader</c> codec is the
/// general one (parsing included) — this writer is the minimum the data path needs.
/// </summary>
public static class ProxyProtocolPreamble
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] Build(int version, IPEndPoint source, IPEndPoint destination) =>
        version == 2 ? V2(source, destination) : V1(source, destination);

    public static byte[] V1(IPEndPoint source, IPEndPoint destination)
    {
        var (src, dst) = SameFamily(source, destination);
        var family = src.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes($"PROXY {family} {src.Address} {dst.Address} {src.Port} {dst.Port}\r\n");
    }

    public static byte[] V2(IPEndPoint source, IPEndPoint destination)
    {
        var (src, dst) = SameFamily(source, destination);
        var v4 = src.AddressFamily == AddressFamily.InterNetwork;
        var addressLength = v4 ? 4 : 16;
        var payload = addressLength * 2 + 4;
        var bytes = new byte[16 + payload];
        V2Signature.CopyTo(bytes, 0);
        bytes[12] = 0x21; // version 2, command PROXY
        bytes[13] = (byte)(v4 ? 0x11 : 0x21); // AF_INET / AF_INET6, STREAM
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), (ushort)payload);
        src.Address.TryWriteBytes(bytes.AsSpan(16, addressLength), out _);
        dst.Address.TryWriteBytes(bytes.AsSpan(16 + addressLength, addressLength), out _);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16 + 2 * addressLength), (ushort)src.Port);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(18 + 2 * addressLength), (ushort)dst.Port);
        return bytes;
    }

    // A header carries one family: IPv4-mapped addresses are written as IPv4; a mixed pair is written as IPv6.
    private static (IPEndPoint, IPEndPoint) SameFamily(IPEndPoint a, IPEndPoint b)
    {
        a = a.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(a.Address.MapToIPv4(), a.Port) : a;
        b = b.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(b.Address.MapToIPv4(), b.Port) : b;
        if (a.AddressFamily == b.AddressFamily) return (a, b);
        return (new IPEndPoint(a.Address.MapToIPv6(), a.Port), new IPEndPoint(b.Address.MapToIPv6(), b.Port));
    }
}
