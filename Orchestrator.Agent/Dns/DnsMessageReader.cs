using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// Decodes one DNS message from a UDP payload or a TCP frame without its length prefix (see <see cref="DnsTcpFraming"/>).
/// Every read is bounds-checked; any malformation throws <see cref="DnsFormatException"/> and nothing else.
/// <code>
/// Message (RFC 1035 §4.1), all integers big-endian:
///   0  ID (16)
///   2  |QR|Opcode(4)|AA|TC|RD|RA|Z|AD|CD|RCODE(4)|
///   4  QDCOUNT  6 ANCOUNT  8 NSCOUNT  10 ARCOUNT       (claims only: checked against the bytes really present)
///  12  Question × QDCOUNT: QNAME, QTYPE(16), QCLASS(16)
///      RR × (AN+NS+AR): NAME, TYPE(16), CLASS(16), TTL(32), RDLENGTH(16), RDATA(RDLENGTH)
///
/// Name: a sequence of
///   0b00LLLLLL + L octets   label, L ≤ 63
///   0b11PPPPPP PPPPPPPP     pointer to offset P in the message; ends the name here (the rest is read at P)
///   0x00                    root: end of name
///   0b01/0b10 prefixes are obsolete/extended label types → FORMERR.
/// Pointers may go backwards or forwards but must land inside the message; a pointer loop is caught by a hop limit
/// and any label loop by the 255-octet name limit, so decoding always terminates.
///
/// RDATA must be consumed exactly: a typed decoder that ends before or after RDLENGTH is FORMERR. Names inside RDATA
/// may be compressed (we accept it even for SRV) and their in-place part must end inside the RDATA.
/// OPT (type 41) is accepted only once, in the additional section, with the root name (RFC 6891 §6.1.1).
/// Bytes after the last counted record are ignored, as most resolvers do.
/// </code>
/// </summary>
public static class DnsMessageReader
{
    /// <summary>
    /// More pointers than a legal name can need (a 255-octet name has at most 127 labels, each reachable by one jump).
    /// </summary>
    public const int MaxPointerHops = 128;

    private const int FixedRecordLength = 10; // TYPE, CLASS, TTL, RDLENGTH after the name

    public static DnsMessage Read(ReadOnlySpan<byte> message)
    {
        if (!DnsHeader.TryRead(message, out var header))
            throw new DnsFormatException($"message of {message.Length} octets is shorter than the 12-octet header");

        try
        {
            return ReadBody(message, header);
        }
        catch (DnsFormatException e) when (e.Header is null)
        {
            throw new DnsFormatException(e.Message, header);
        }
    }

    /// <summary>Like <see cref="Read"/> but reports failure; <paramref name="header"/> is set whenever 12 octets exist.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsMessage? result, out DnsHeader? header, out string? error)
    {
        header = DnsHeader.TryRead(message, out var h) ? h : null;
        try
        {
            result = Read(message);
            error = null;
            return true;
        }
        catch (DnsFormatException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }

    private static DnsMessage ReadBody(ReadOnlySpan<byte> msg, DnsHeader header)
    {
        var result = new DnsMessage
        {
            Id = header.Id,
            IsResponse = header.IsResponse,
            Opcode = header.Opcode,
            IsAuthoritative = header.IsAuthoritative,
            IsTruncated = header.IsTruncated,
            RecursionDesired = header.RecursionDesired,
            RecursionAvailable = header.RecursionAvailable,
            AuthenticData = header.AuthenticData,
            CheckingDisabled = header.CheckingDisabled,
        };

        var pos = DnsHeader.Size;
        // Counts are claims: size the lists by what could possibly fit, not by what the sender says.
        result.Questions = new List<DnsQuestion>(Math.Min((int)header.QuestionCount, (msg.Length - pos) / 5));
        for (var i = 0; i < header.QuestionCount; i++)
        {
            var name = ReadName(msg, ref pos);
            Need(msg, pos, 4, "question");
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg[pos..]);
            var @class = (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 2)..]);
            pos += 4;
            result.Questions.Add(new DnsQuestion(name, type, @class));
        }

        result.Answers = ReadSection(msg, ref pos, header.AnswerCount, "answer", result);
        result.Authorities = ReadSection(msg, ref pos, header.AuthorityCount, "authority", result);
        result.Additionals = ReadSection(msg, ref pos, header.AdditionalCount, "additional", result);

        var extended = result.Edns is null ? 0 : result.ResponseCode;
        result.ResponseCode = (DnsResponseCode)((int)extended << 4 | header.ResponseCodeLow);
        return result;
    }

    private static List<DnsResourceRecord> ReadSection(ReadOnlySpan<byte> msg, ref int pos, int count, string section, DnsMessage result)
    {
        var records = new List<DnsResourceRecord>(Math.Min(count, (msg.Length - pos) / (1 + FixedRecordLength)));
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(msg, ref pos);
            Need(msg, pos, FixedRecordLength, $"{section} record header");
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(msg[pos..]);
            var classField = BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(msg[(pos + 4)..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 8)..]);
            pos += FixedRecordLength;
            Need(msg, pos, rdLength, $"{section} {DnsText.Type(type)} RDATA");
            var end = pos + rdLength;

            if (type == DnsType.OPT)
            {
                if (section != "additional") throw new DnsFormatException($"OPT record in the {section} section");
                if (result.Edns is not null) throw new DnsFormatException("more than one OPT record");
                if (!name.IsRoot) throw new DnsFormatException("OPT record with a non-root owner name");
                result.Edns = ReadOpt(msg, pos, end, classField, ttl);
                // Park the extended rcode here; ReadBody combines it with the header's low 4 bits.
                result.ResponseCode = (DnsResponseCode)(ttl >> 24);
                pos = end;
                continue;
            }

            var data = ReadData(msg, ref pos, end, type);
            if (pos != end)
                throw new DnsFormatException($"{DnsText.Type(type)} RDATA used {pos - (end - rdLength)} of RDLENGTH {rdLength} octets");
            records.Add(new DnsResourceRecord(name, (DnsClass)classField, ttl, data));
        }

        return records;
    }

    private static DnsEdns ReadOpt(ReadOnlySpan<byte> msg, int pos, int end, ushort payloadSize, uint ttl)
    {
        var options = new List<EdnsOption>();
        while (pos < end)
        {
            if (end - pos < 4) throw new DnsFormatException("truncated EDNS option header");
            var code = BinaryPrimitives.ReadUInt16BigEndian(msg[pos..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 2)..]);
            pos += 4;
            if (end - pos < length) throw new DnsFormatException("EDNS option longer than the OPT RDATA");
            options.Add(new EdnsOption(code, msg.Slice(pos, length).ToArray()));
            pos += length;
        }

        return new DnsEdns
        {
            UdpPayloadSize = payloadSize,
            Version = (byte)(ttl >> 16),
            DnssecOk = (ttl & 0x8000) != 0,
            Z = (ushort)(ttl & 0x7FFF),
            Options = options,
        };
    }

    private static DnsRecordData ReadData(ReadOnlySpan<byte> msg, ref int pos, int end, DnsType type)
    {
        var length = end - pos;
        switch (type)
        {
            case DnsType.A:
                if (length != 4) throw new DnsFormatException($"A RDLENGTH {length}, expected 4");
                pos = end;
                return new ARecordData(new IPAddress(msg.Slice(end - 4, 4)));
            case DnsType.AAAA:
                if (length != 16) throw new DnsFormatException($"AAAA RDLENGTH {length}, expected 16");
                pos = end;
                return new AaaaRecordData(new IPAddress(msg.Slice(end - 16, 16)));
            case DnsType.CNAME:
                return new CnameRecordData(ReadName(msg, ref pos, end));
            case DnsType.PTR:
                return new PtrRecordData(ReadName(msg, ref pos, end));
            case DnsType.NS:
                return new NsRecordData(ReadName(msg, ref pos, end));
            case DnsType.SOA:
            {
                var mname = ReadName(msg, ref pos, end);
                var rname = ReadName(msg, ref pos, end);
                if (end - pos < 20) throw new DnsFormatException("SOA RDATA too short for its five counters");
                var s = msg[pos..];
                pos += 20;
                return new SoaRecordData(mname, rname,
                    BinaryPrimitives.ReadUInt32BigEndian(s), BinaryPrimitives.ReadUInt32BigEndian(s[4..]),
                    BinaryPrimitives.ReadUInt32BigEndian(s[8..]), BinaryPrimitives.ReadUInt32BigEndian(s[12..]),
                    BinaryPrimitives.ReadUInt32BigEndian(s[16..]));
            }
            case DnsType.SRV:
            {
                if (length < 7) throw new DnsFormatException("SRV RDATA too short");
                var s = msg[pos..];
                pos += 6;
                var target = ReadName(msg, ref pos, end);
                return new SrvRecordData(BinaryPrimitives.ReadUInt16BigEndian(s), BinaryPrimitives.ReadUInt16BigEndian(s[2..]),
                    BinaryPrimitives.ReadUInt16BigEndian(s[4..]), target);
            }
            case DnsType.TXT:
            {
                var strings = new List<byte[]>();
                while (pos < end)
                {
                    var n = msg[pos];
                    if (end - pos - 1 < n) throw new DnsFormatException("TXT character-string runs past RDATA");
                    strings.Add(msg.Slice(pos + 1, n).ToArray());
                    pos += 1 + n;
                }

                return new TxtRecordData(strings);
            }
            default:
                pos = end;
                return new UnknownRecordData(type, msg.Slice(end - length, length).ToArray());
        }
    }

    private static DnsName ReadName(ReadOnlySpan<byte> msg, ref int pos) => ReadName(msg, ref pos, msg.Length);

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="pos"/>, advancing it past the in-place part (up to and
    /// including the first pointer), which must end at or before <paramref name="limit"/>.
    /// </summary>
    private static DnsName ReadName(ReadOnlySpan<byte> msg, ref int pos, int limit)
    {
        var labels = new List<string>();
        var wireLength = 1;
        var p = pos;
        var hops = 0;
        var jumped = false;
        while (true)
        {
            if (p >= msg.Length) throw new DnsFormatException("name runs past the end of the message");
            var b = msg[p];
            switch (b & 0xC0)
            {
                case 0x00:
                    if (b == 0)
                    {
                        if (!jumped) pos = p + 1;
                        if (pos > limit) throw new DnsFormatException("name runs past the end of its RDATA");
                        return DnsName.FromValidatedLabels(labels.ToArray());
                    }

                    if (p + 1 + b > msg.Length) throw new DnsFormatException("label runs past the end of the message");
                    wireLength += 1 + b;
                    if (wireLength > DnsName.MaxWireLength) throw new DnsFormatException($"name longer than {DnsName.MaxWireLength} octets");
                    labels.Add(Encoding.Latin1.GetString(msg.Slice(p + 1, b)));
                    p += 1 + b;
                    break;
                case 0xC0:
                    if (p + 1 >= msg.Length) throw new DnsFormatException("compression pointer cut off by the end of the message");
                    var target = (b & 0x3F) << 8 | msg[p + 1];
                    if (!jumped)
                    {
                        pos = p + 2;
                        jumped = true;
                    }

                    if (++hops > MaxPointerHops) throw new DnsFormatException("compression pointer loop");
                    if (target >= msg.Length) throw new DnsFormatException($"compression pointer to {target} beyond the message");
                    p = target;
                    break;
                default:
                    throw new DnsFormatException($"unsupported label type 0x{b & 0xC0:X2}");
            }
        }
    }

    private static void Need(ReadOnlySpan<byte> msg, int pos, int count, string what)
    {
        if (msg.Length - pos < count) throw new DnsFormatException($"{what} truncated: need {count} octets at {pos}, have {Math.Max(0, msg.Length - pos)}");
    }
}
