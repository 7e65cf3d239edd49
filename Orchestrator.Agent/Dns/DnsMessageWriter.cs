using System.Buffers.Binary;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// Encodes a <see cref="DnsMessage"/> (layout in <see cref="DnsMessageReader"/>), compressing names and fitting the
/// result into a size limit.
/// <para>
/// Compression: every name suffix written at an offset below 0x4000 is remembered (case-insensitively); a later name
/// with that suffix ends in a pointer to it. Owner names, question names and the names in NS, CNAME, PTR and SOA RDATA
/// are compressed (RFC 1035 §4.1.4); SRV targets and unknown types are not (RFC 2782, RFC 3597 §4) but their suffixes
/// can still be pointed at by later names.
/// </para>
/// <para>
/// Size limit: header, questions and OPT always go in. Records are then added one by one; the first that would cross
/// the limit is rolled back whole (bytes and the compression entries it added) and everything after it is dropped.
/// TC is set when an answer or authority record was dropped; dropping only additional records does not set it
/// (RFC 2181 §9), since the answer is still complete.
/// </para>
/// </summary>
public sealed class DnsMessageWriter
{
    /// <summary>The UDP size every DNS peer accepts (RFC 1035 §4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    /// <summary>The DNS Flag Day 2020 default EDNS size, safe from IP fragmentation.</summary>
    public const int DefaultEdnsUdpSize = 1232;

    /// <summary>A message over TCP is limited only by the 16-bit length prefix.</summary>
    public const int MaxMessageSize = 65535;

    private const int PointerLimit = 0x4000;

    private byte[] _buffer = new byte[ClassicUdpSize];
    private int _pos;
    private readonly Dictionary<string, int> _suffixes = new(StringComparer.Ordinal);
    private readonly List<string> _suffixOrder = [];

    private DnsMessageWriter()
    {
    }

    /// <summary>
    /// The size limit for a UDP response to <paramref name="query"/>: 512 without EDNS, else the advertised payload
    /// size clamped to [512, <paramref name="cap"/>].
    /// </summary>
    public static int MaxUdpResponseSize(DnsMessage query, int cap = DefaultEdnsUdpSize) =>
        query.Edns is null ? ClassicUdpSize : Math.Clamp((int)query.Edns.UdpPayloadSize, ClassicUdpSize, Math.Max(cap, ClassicUdpSize));

    /// <summary>
    /// Encodes <paramref name="message"/> in at most <paramref name="maxSize"/> octets (clamped to [512, 65535]).
    /// Throws <see cref="ArgumentException"/> for a model the wire cannot carry (rcode &gt; 15 without EDNS, more than
    /// 65535 entries in a section, RDATA over 65535 octets) and <see cref="InvalidOperationException"/> when the header,
    /// questions and OPT alone exceed the limit.
    /// </summary>
    public static byte[] Write(DnsMessage message, int maxSize = MaxMessageSize)
    {
        maxSize = Math.Clamp(maxSize, ClassicUdpSize, MaxMessageSize);
        if ((int)message.ResponseCode > 0xFFF) throw new ArgumentException("rcode wider than 12 bits", nameof(message));
        if ((int)message.ResponseCode > 15 && message.Edns is null)
            throw new ArgumentException($"rcode {(int)message.ResponseCode} needs EDNS", nameof(message));
        if (message.Questions.Count > ushort.MaxValue) throw new ArgumentException("too many questions", nameof(message));

        var writer = new DnsMessageWriter();
        return writer.WriteMessage(message, maxSize);
    }

    private byte[] WriteMessage(DnsMessage m, int maxSize)
    {
        EnsureCapacity(DnsHeader.Size);
        _pos = DnsHeader.Size; // header last: its counts and TC depend on what fits

        foreach (var q in m.Questions)
        {
            WriteName(q.Name, compress: true);
            WriteUInt16((ushort)q.Type);
            WriteUInt16((ushort)q.Class);
        }

        var optLength = m.Edns?.WireLength ?? 0;
        var budget = maxSize - optLength;
        if (_pos > budget)
            throw new InvalidOperationException($"header, questions and OPT take {_pos + optLength} octets, over the {maxSize} limit");

        var truncated = false;
        var answers = WriteSection(m.Answers, budget, ref truncated);
        var truncatedAnswer = truncated;
        var authorities = WriteSection(m.Authorities, budget, ref truncated);
        var truncatedAuthority = truncated;
        var additionals = WriteSection(m.Additionals, budget, ref truncated);

        var additionalCount = additionals;
        if (m.Edns is not null)
        {
            WriteOpt(m.Edns, (int)m.ResponseCode >> 4);
            additionalCount++;
        }

        if (additionalCount > ushort.MaxValue) throw new ArgumentException("too many additional records", nameof(m));

        var h = _buffer.AsSpan(0, DnsHeader.Size);
        BinaryPrimitives.WriteUInt16BigEndian(h, m.Id);
        var tc = m.IsTruncated || truncatedAnswer || truncatedAuthority;
        h[2] = (byte)((m.IsResponse ? 0x80 : 0) | ((int)m.Opcode & 0x0F) << 3 | (m.IsAuthoritative ? 0x04 : 0)
                      | (tc ? 0x02 : 0) | (m.RecursionDesired ? 0x01 : 0));
        h[3] = (byte)((m.RecursionAvailable ? 0x80 : 0) | (m.AuthenticData ? 0x20 : 0) | (m.CheckingDisabled ? 0x10 : 0)
                      | ((int)m.ResponseCode & 0x0F));
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], (ushort)m.Questions.Count);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], (ushort)answers);
        BinaryPrimitives.WriteUInt16BigEndian(h[8..], (ushort)authorities);
        BinaryPrimitives.WriteUInt16BigEndian(h[10..], (ushort)additionalCount);
        return _buffer.AsSpan(0, _pos).ToArray();
    }

    /// <summary>Writes records while they fit; once one does not, nothing more is written in any section.</summary>
    private int WriteSection(List<DnsResourceRecord> records, int budget, ref bool truncated)
    {
        if (records.Count > ushort.MaxValue) throw new ArgumentException("too many records in a section");
        if (truncated) return 0;
        var written = 0;
        foreach (var rr in records)
        {
            var mark = _pos;
            WriteRecord(rr);
            if (_pos > budget)
            {
                Rollback(mark);
                truncated = true;
                break;
            }

            written++;
        }

        return written;
    }

    private void WriteRecord(DnsResourceRecord rr)
    {
        WriteName(rr.Name, compress: true);
        WriteUInt16((ushort)rr.Type);
        WriteUInt16((ushort)rr.Class);
        WriteUInt32(rr.Ttl);
        var lengthAt = _pos;
        WriteUInt16(0);
        var start = _pos;
        switch (rr.Data)
        {
            case ARecordData a:
                EnsureCapacity(4);
                a.Address.TryWriteBytes(_buffer.AsSpan(_pos), out var n4);
                _pos += n4;
                break;
            case AaaaRecordData aaaa:
                EnsureCapacity(16);
                aaaa.Address.TryWriteBytes(_buffer.AsSpan(_pos), out var n6);
                _pos += n6;
                break;
            case CnameRecordData c:
                WriteName(c.Target, compress: true);
                break;
            case PtrRecordData p:
                WriteName(p.Target, compress: true);
                break;
            case NsRecordData ns:
                WriteName(ns.Target, compress: true);
                break;
            case SoaRecordData soa:
                WriteName(soa.PrimaryServer, compress: true);
                WriteName(soa.ResponsibleMailbox, compress: true);
                WriteUInt32(soa.Serial);
                WriteUInt32(soa.Refresh);
                WriteUInt32(soa.Retry);
                WriteUInt32(soa.Expire);
                WriteUInt32(soa.Minimum);
                break;
            case SrvRecordData srv:
                WriteUInt16(srv.Priority);
                WriteUInt16(srv.Weight);
                WriteUInt16(srv.Port);
                WriteName(srv.Target, compress: false);
                break;
            case TxtRecordData txt:
                foreach (var s in txt.Strings)
                {
                    EnsureCapacity(1 + s.Length);
                    _buffer[_pos++] = (byte)s.Length;
                    WriteBytes(s);
                }

                break;
            case UnknownRecordData raw:
                WriteBytes(raw.Data);
                break;
            default:
                throw new ArgumentException($"unsupported record data {rr.Data.GetType().Name}");
        }

        var length = _pos - start;
        if (length > ushort.MaxValue) throw new ArgumentException($"RDATA of {length} octets does not fit RDLENGTH");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(lengthAt), (ushort)length);
    }

    private void WriteOpt(DnsEdns edns, int extendedRcode)
    {
        EnsureCapacity(1);
        _buffer[_pos++] = 0; // root owner name
        WriteUInt16((ushort)DnsType.OPT);
        WriteUInt16(edns.UdpPayloadSize);
        WriteUInt32((uint)(extendedRcode & 0xFF) << 24 | (uint)edns.Version << 16 | (edns.DnssecOk ? 0x8000u : 0) | (edns.Z & 0x7FFFu));
        var length = edns.WireLength - 11;
        if (length > ushort.MaxValue) throw new ArgumentException("EDNS options longer than 65535 octets");
        WriteUInt16((ushort)length);
        foreach (var o in edns.Options)
        {
            WriteUInt16(o.Code);
            WriteUInt16((ushort)o.Data.Length);
            WriteBytes(o.Data);
        }
    }

    private void WriteName(DnsName name, bool compress)
    {
        var labels = name.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var key = SuffixKey(name, i);
            if (compress && _suffixes.TryGetValue(key, out var target))
            {
                WriteUInt16((ushort)(0xC000 | target));
                return;
            }

            if (_pos < PointerLimit && _suffixes.TryAdd(key, _pos)) _suffixOrder.Add(key);
            var label = labels[i];
            EnsureCapacity(1 + label.Length);
            _buffer[_pos++] = (byte)label.Length;
            foreach (var c in label) _buffer[_pos++] = (byte)c; // labels hold octets as chars 0-255
        }

        EnsureCapacity(1);
        _buffer[_pos++] = 0;
    }

    /// <summary>Lower-cased labels from <paramref name="start"/> on, length-prefixed so that no two suffixes collide.</summary>
    private static string SuffixKey(DnsName name, int start)
    {
        var canonical = name.Labels;
        var length = 0;
        for (var i = start; i < canonical.Count; i++) length += 1 + canonical[i].Length;
        return string.Create(length, (canonical, start), static (span, state) =>
        {
            var at = 0;
            for (var i = state.start; i < state.canonical.Count; i++)
            {
                var l = state.canonical[i];
                span[at++] = (char)l.Length;
                foreach (var c in l) span[at++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
    }

    /// <summary>Undo a record that did not fit: drop its bytes and every suffix it registered.</summary>
    private void Rollback(int mark)
    {
        _pos = mark;
        while (_suffixOrder.Count > 0 && _suffixes[_suffixOrder[^1]] >= mark)
        {
            _suffixes.Remove(_suffixOrder[^1]);
            _suffixOrder.RemoveAt(_suffixOrder.Count - 1);
        }
    }

    private void WriteUInt16(ushort value)
    {
        EnsureCapacity(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_pos), value);
        _pos += 2;
    }

    private void WriteUInt32(uint value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_pos), value);
        _pos += 4;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    private void EnsureCapacity(int extra)
    {
        if (_pos + extra <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _pos + extra));
    }
}
