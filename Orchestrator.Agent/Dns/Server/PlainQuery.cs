using System.Buffers.Binary;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// The shape nearly every stub resolver sends, parsed without allocating: a QUERY with one question whose name is
/// written in place (no compression), class IN, no answer or authority records and at most one additional record,
/// which must be an EDNS0 (version 0) OPT. <see cref="TryParse"/> also writes the lookup key: the question name's
/// wire form lower-cased, one char per octet, then the QTYPE as one char. Anything else returns false and takes the
/// full reader (<see cref="DnsMessageReader"/>), which also decides between an answer and FORMERR.
/// </summary>
public readonly struct PlainQuery
{
    /// <summary>A name of at most 255 octets plus the type.</summary>
    public const int MaxKeyLength = DnsName.MaxWireLength + 1;

    /// <summary>Octets of the OPT record we append to an answer.</summary>
    public const int OptLength = 11;

    private PlainQuery(int nameLength, DnsType type, bool edns, ushort udpPayloadSize, bool dnssecOk)
    {
        NameLength = nameLength;
        Type = type;
        HasEdns = edns;
        UdpPayloadSize = udpPayloadSize;
        DnssecOk = dnssecOk;
    }

    /// <summary>Wire length of the question name (it starts at offset 12).</summary>
    public int NameLength { get; }

    public DnsType Type { get; }

    public bool HasEdns { get; }

    public ushort UdpPayloadSize { get; }

    public bool DnssecOk { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, Span<char> key, out PlainQuery query, out int keyLength)
    {
        query = default;
        keyLength = 0;
        if (packet.Length < DnsHeader.Size + 5) return false;
        // QR=0, opcode QUERY; then QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT ≤ 1.
        if ((packet[2] & 0xF8) != 0) return false;
        if (packet[4] != 0 || packet[5] != 1 || packet[6] != 0 || packet[7] != 0 || packet[8] != 0 || packet[9] != 0 || packet[10] != 0 || packet[11] > 1)
            return false;

        var pos = DnsHeader.Size;
        while (true)
        {
            if (pos >= packet.Length) return false;
            var length = packet[pos];
            if (length == 0) break;
            if (length > DnsName.MaxLabelLength) return false; // pointers and extended label types
            if (pos + 1 + length > packet.Length || pos + 1 + length - DnsHeader.Size >= DnsName.MaxWireLength) return false;
            key[pos - DnsHeader.Size] = (char)length;
            for (var i = 1; i <= length; i++)
            {
                var b = packet[pos + i];
                key[pos - DnsHeader.Size + i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
            }

            pos += 1 + length;
        }

        key[pos - DnsHeader.Size] = '\0';
        var nameLength = pos + 1 - DnsHeader.Size;
        pos++;
        if (pos + 4 > packet.Length) return false;
        var type = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]) != (ushort)DnsClass.IN) return false;
        pos += 4;
        key[nameLength] = (char)type;

        bool edns = false, dnssecOk = false;
        ushort size = 0;
        if (packet[11] == 1)
        {
            // OPT: root name, TYPE 41, CLASS = payload size, TTL = ext-rcode, version, DO|Z, RDLENGTH, options.
            if (pos + 11 > packet.Length || packet[pos] != 0) return false;
            if (BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 1)..]) != (ushort)DnsType.OPT) return false;
            size = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 3)..]);
            if (packet[pos + 6] != 0) return false; // EDNS version > 0: BADVERS, the full path answers it
            dnssecOk = (packet[pos + 7] & 0x80) != 0;
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 9)..]);
            if (pos + 11 + rdLength > packet.Length) return false;
            // The options must tile the RDATA exactly, as the full reader demands.
            var option = pos + 11;
            var end = option + rdLength;
            while (option < end)
            {
                if (end - option < 4) return false;
                option += 4 + BinaryPrimitives.ReadUInt16BigEndian(packet[(option + 2)..]);
            }

            if (option != end) return false;
            edns = true;
        }

        query = new PlainQuery(nameLength, (DnsType)type, edns, size, dnssecOk);
        keyLength = nameLength + 1;
        return true;
    }
}
