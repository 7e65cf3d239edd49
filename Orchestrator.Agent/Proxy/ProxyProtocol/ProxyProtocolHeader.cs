using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Agent.Proxy.ProxyProtocol;

/// <summary>
/// Writes and parses PROXY protocol headers (HAProxy's proxy-protocol specification), which a proxy sends first on a
/// connection to its backend so the backend learns the real client address.
/// <code>
/// v1: "PROXY" SP ("TCP4" | "TCP6") SP src SP dst SP sport SP dport CRLF     (at most 107 bytes)
///     "PROXY" SP "UNKNOWN" [anything] CRLF
/// v2: 12-byte signature | ver/cmd (0x20 LOCAL, 0x21 PROXY) | family/transport (0x11 TCP4, 0x21 TCP6, …)
///     | length (u16, big endian) | addresses: v4 src,dst (4+4), sport,dport (2+2); v6 src,dst (16+16), ports (2+2)
///     | TLVs up to length
/// </code>
/// Writers take the client (<c>source</c>) and the address the client connected to (<c>destination</c>). An
/// IPv4-mapped IPv6 address (what a dual-mode socket reports) is written as IPv4; when one side is IPv4 and the other
/// IPv6 both are written as IPv6, since a header has one family.
/// </summary>
public static class ProxyProtocolHeader
{
    /// <summary>The longest v1 line the specification allows, CRLF included; a receiver reads no further for it.</summary>
    public const int V1MaxLength = 107;

    /// <summary>The v2 fixed part: signature, version/command, family/transport, length.</summary>
    public const int V2FixedLength = 16;

    /// <summary>The longest header the writers produce (v2 over IPv6, without TLVs).</summary>
    public const int MaxWrittenLength = V1MaxLength;

    private const int V2Ipv4AddressLength = 12;
    private const int V2Ipv6AddressLength = 36;
    private const int V2UnixAddressLength = 216;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    // ---- writers ----

    /// <summary>The header of <paramref name="version"/> for a TCP connection from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static byte[] Create(ProxyProtocolVersion version, IPEndPoint source, IPEndPoint destination)
    {
        Span<byte> buffer = stackalloc byte[MaxWrittenLength];
        var n = version == ProxyProtocolVersion.V1 ? WriteV1(source, destination, buffer) : WriteV2(source, destination, buffer);
        return buffer[..n].ToArray();
    }

    /// <summary>Writes a v1 line into <paramref name="output"/> (at least <see cref="V1MaxLength"/> bytes are always enough) and returns its length.</summary>
    public static int WriteV1(IPEndPoint source, IPEndPoint destination, Span<byte> output)
    {
        var (src, dst) = Normalize(source.Address, destination.Address);
        var family = src.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"PROXY {family} {src} {dst} {source.Port} {destination.Port}\r\n");
        if (line.Length > output.Length) throw new ArgumentException("The output span is too small for the header.", nameof(output));
        return Encoding.ASCII.GetBytes(line, output);
    }

    /// <summary>Writes a v2 PROXY header (TCP over IPv4 or IPv6, no TLVs) and returns its length (28 or 52).</summary>
    public static int WriteV2(IPEndPoint source, IPEndPoint destination, Span<byte> output)
    {
        var (src, dst) = Normalize(source.Address, destination.Address);
        var v4 = src.AddressFamily == AddressFamily.InterNetwork;
        var addressLength = v4 ? V2Ipv4AddressLength : V2Ipv6AddressLength;
        var total = V2FixedLength + addressLength;
        if (output.Length < total) throw new ArgumentException("The output span is too small for the header.", nameof(output));

        V2Signature.CopyTo(output);
        output[12] = 0x21; // version 2, command PROXY
        output[13] = v4 ? (byte)0x11 : (byte)0x21; // AF_INET / AF_INET6, STREAM
        BinaryPrimitives.WriteUInt16BigEndian(output[14..], (ushort)addressLength);
        var addressSize = v4 ? 4 : 16;
        var body = output[V2FixedLength..];
        src.TryWriteBytes(body, out _);
        dst.TryWriteBytes(body[addressSize..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(body[(2 * addressSize)..], (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(body[(2 * addressSize + 2)..], (ushort)destination.Port);
        return total;
    }

    /// <summary>
    /// Writes a v2 LOCAL header (16 bytes): the connection is the proxy's own (a health check), and the receiver uses
    /// the real connection addresses.
    /// </summary>
    public static int WriteV2Local(Span<byte> output)
    {
        if (output.Length < V2FixedLength) throw new ArgumentException("The output span is too small for the header.", nameof(output));
        V2Signature.CopyTo(output);
        output[12] = 0x20; // version 2, command LOCAL
        output[13] = 0x00; // AF_UNSPEC, UNSPEC
        BinaryPrimitives.WriteUInt16BigEndian(output[14..], 0);
        return V2FixedLength;
    }

    private static (IPAddress Source, IPAddress Destination) Normalize(IPAddress source, IPAddress destination)
    {
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        if (destination.IsIPv4MappedToIPv6) destination = destination.MapToIPv4();
        if (source.AddressFamily != destination.AddressFamily)
        {
            source = source.AddressFamily == AddressFamily.InterNetwork ? source.MapToIPv6() : source;
            destination = destination.AddressFamily == AddressFamily.InterNetwork ? destination.MapToIPv6() : destination;
        }
        return (source, destination);
    }

    // ---- parser ----

    /// <summary>
    /// Parses a v1 or v2 header at the start of <paramref name="data"/> (the first bytes a backend read). Returns
    /// <see cref="ProxyProtocolParseStatus.NeedMoreData"/> while the bytes are a valid prefix of a header, and
    /// <see cref="ProxyProtocolParseStatus.Invalid"/> for anything else — including a connection that does not start
    /// with a header at all, which the specification says a receiver must refuse.
    /// </summary>
    public static ProxyProtocolParseStatus TryParse(ReadOnlySpan<byte> data, out ProxyProtocolInfo? info)
    {
        info = null;
        if (data.IsEmpty) return ProxyProtocolParseStatus.NeedMoreData;
        if (StartsWithPrefixOf(data, V2Signature)) return TryParseV2(data, out info);
        if (StartsWithPrefixOf(data, V1Prefix)) return TryParseV1(data, out info);
        return ProxyProtocolParseStatus.Invalid;
    }

    /// <summary>True when the overlap of <paramref name="data"/> and <paramref name="prefix"/> agrees.</summary>
    private static bool StartsWithPrefixOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix)
    {
        var n = Math.Min(data.Length, prefix.Length);
        return data[..n].SequenceEqual(prefix[..n]);
    }

    private static ProxyProtocolParseStatus TryParseV1(ReadOnlySpan<byte> data, out ProxyProtocolInfo? info)
    {
        info = null;
        var window = data[..Math.Min(data.Length, V1MaxLength)];
        var lf = window.IndexOf((byte)'\n');
        if (lf < 0)
            return data.Length >= V1MaxLength ? ProxyProtocolParseStatus.Invalid : ProxyProtocolParseStatus.NeedMoreData;
        if (lf == 0 || window[lf - 1] != (byte)'\r') return ProxyProtocolParseStatus.Invalid;
        var line = window[..(lf - 1)];
        foreach (var b in line)
            if (b < 0x20 || b > 0x7E) return ProxyProtocolParseStatus.Invalid;

        var text = Encoding.ASCII.GetString(line);
        var parts = text.Split(' ');
        if (parts.Length < 2 || parts[0] != "PROXY") return ProxyProtocolParseStatus.Invalid;
        if (parts[1] == "UNKNOWN")
        {
            // The rest of an UNKNOWN line carries nothing the receiver may use.
            info = new ProxyProtocolInfo(ProxyProtocolVersion.V1, false, null, null, lf + 1);
            return ProxyProtocolParseStatus.Complete;
        }
        if (parts.Length != 6) return ProxyProtocolParseStatus.Invalid;
        var family = parts[1] switch
        {
            "TCP4" => AddressFamily.InterNetwork,
            "TCP6" => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (family == AddressFamily.Unknown
            || !TryParseV1Address(parts[2], family, out var src) || !TryParseV1Address(parts[3], family, out var dst)
            || !TryParseV1Port(parts[4], out var sport) || !TryParseV1Port(parts[5], out var dport))
            return ProxyProtocolParseStatus.Invalid;
        info = new ProxyProtocolInfo(ProxyProtocolVersion.V1, false, new IPEndPoint(src!, sport), new IPEndPoint(dst!, dport), lf + 1);
        return ProxyProtocolParseStatus.Complete;
    }

    /// <summary>
    /// Dotted quads with no leading zeros for TCP4 (IPAddress.Parse would take "1" or "010.0.0.1"); a colon form
    /// without a zone for TCP6.
    /// </summary>
    private static bool TryParseV1Address(string text, AddressFamily family, out IPAddress? address)
    {
        address = null;
        if (family == AddressFamily.InterNetwork)
        {
            var octets = text.Split('.');
            if (octets.Length != 4) return false;
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (!TryParseDecimal(octets[i], 3, out var v) || v > 255) return false;
                bytes[i] = (byte)v;
            }
            address = new IPAddress(bytes);
            return true;
        }
        if (!text.Contains(':') || text.Contains('%') || !IPAddress.TryParse(text, out var a) || a.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        address = a;
        return true;
    }

    private static bool TryParseV1Port(string text, out int port) => TryParseDecimal(text, 5, out port) && port <= 65535;

    /// <summary>1 to <paramref name="maxDigits"/> ASCII digits, no sign, no leading zero (except "0" itself).</summary>
    private static bool TryParseDecimal(string text, int maxDigits, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > maxDigits || (text.Length > 1 && text[0] == '0')) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static ProxyProtocolParseStatus TryParseV2(ReadOnlySpan<byte> data, out ProxyProtocolInfo? info)
    {
        info = null;
        if (data.Length < V2FixedLength) return ProxyProtocolParseStatus.NeedMoreData;
        var version = data[12] >> 4;
        var command = data[12] & 0x0F;
        var family = data[13] >> 4;
        var transport = data[13] & 0x0F;
        // Version 2 only; commands LOCAL (0) and PROXY (1); families UNSPEC, INET, INET6, UNIX; transports UNSPEC,
        // STREAM, DGRAM. Anything else is a protocol error, not something to skip.
        if (version != 2 || command > 1 || family > 3 || transport > 2) return ProxyProtocolParseStatus.Invalid;
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        var total = V2FixedLength + length;
        if (data.Length < total) return ProxyProtocolParseStatus.NeedMoreData;
        var body = data[V2FixedLength..total];

        if (command == 0)
        {
            info = new ProxyProtocolInfo(ProxyProtocolVersion.V2, true, null, null, total);
            return ProxyProtocolParseStatus.Complete;
        }
        switch (family)
        {
            case 1:
                if (body.Length < V2Ipv4AddressLength) return ProxyProtocolParseStatus.Invalid;
                info = new ProxyProtocolInfo(ProxyProtocolVersion.V2, false,
                    new IPEndPoint(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[8..])),
                    new IPEndPoint(new IPAddress(body[4..8]), BinaryPrimitives.ReadUInt16BigEndian(body[10..])),
                    total);
                return ProxyProtocolParseStatus.Complete;
            case 2:
                if (body.Length < V2Ipv6AddressLength) return ProxyProtocolParseStatus.Invalid;
                info = new ProxyProtocolInfo(ProxyProtocolVersion.V2, false,
                    new IPEndPoint(new IPAddress(body[..16]), BinaryPrimitives.ReadUInt16BigEndian(body[32..])),
                    new IPEndPoint(new IPAddress(body[16..32]), BinaryPrimitives.ReadUInt16BigEndian(body[34..])),
                    total);
                return ProxyProtocolParseStatus.Complete;
            case 3:
                if (body.Length < V2UnixAddressLength) return ProxyProtocolParseStatus.Invalid;
                info = new ProxyProtocolInfo(ProxyProtocolVersion.V2, false, null, null, total);
                return ProxyProtocolParseStatus.Complete;
            default:
                // AF_UNSPEC with PROXY: the sender could not tell the addresses; the receiver keeps its own.
                info = new ProxyProtocolInfo(ProxyProtocolVersion.V2, false, null, null, total);
                return ProxyProtocolParseStatus.Complete;
        }
    }
}
