using System.Buffers.Binary;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// Turns one query packet into a response, transport-agnostic and without I/O on the cluster path:
/// <list type="number">
/// <item>A plain query (<see cref="PlainQuery"/>) whose answer is already encoded for the current snapshot is served by
///   copying it and patching the id, RD, CD, the question's spelling and an OPT record: no allocation.</item>
/// <item>Otherwise the full reader parses it: bad packets get FORMERR (or nothing when fewer than 12 octets arrived or
///   the packet is itself a response); EDNS versions above 0 get BADVERS; before the service view has synced
///   everything gets SERVFAIL; names of the cluster zone (and our reverse names) are answered by
///   <see cref="ClusterDnsZone"/> and the encoding kept for the next query; everything else is
///   <see cref="DnsHandling.Forward"/>ed to <see cref="UpstreamResolver"/>.</item>
/// </list>
/// UDP responses are cut to the client's EDNS size (512 without EDNS), clamped to <c>maxUdpSize</c>; the writer drops
/// whole records and sets TC, and the client retries over TCP, where the limit is 65535.
/// </summary>
public sealed class ClusterDnsResponder
{
    private readonly UpstreamResolver _upstream;
    private readonly int _maxUdpSize;
    private readonly int _answerCacheSize;
    private ZoneSnapshot _zone;

    public ClusterDnsResponder(UpstreamResolver upstream, int maxUdpSize = DnsMessageWriter.DefaultEdnsUdpSize, int answerCacheSize = 20000)
    {
        _upstream = upstream;
        _maxUdpSize = Math.Clamp(maxUdpSize, DnsMessageWriter.ClassicUdpSize, DnsMessageWriter.MaxMessageSize);
        _answerCacheSize = Math.Max(16, answerCacheSize);
        _zone = new ZoneSnapshot(new ClusterDnsZone(ClusterServices.Empty), synced: false, _answerCacheSize);
    }

    public ZoneSnapshot Zone => Volatile.Read(ref _zone);

    /// <summary>Makes <paramref name="snapshot"/> the data every following query is answered from.</summary>
    public void Apply(ClusterServices snapshot, bool synced) =>
        Volatile.Write(ref _zone, new ZoneSnapshot(new ClusterDnsZone(snapshot), synced, _answerCacheSize));

    /// <summary>
    /// Handles one query. <paramref name="response"/> must hold 65535 octets for TCP and <c>maxUdpSize</c> for UDP;
    /// on <see cref="DnsHandling.Reply"/> the answer is its first <paramref name="written"/> octets, on
    /// <see cref="DnsHandling.Forward"/> <paramref name="forward"/> is the parsed query. Never throws for any input.
    /// </summary>
    public DnsHandling Handle(ReadOnlySpan<byte> packet, Span<byte> response, bool tcp, out int written, out DnsMessage? forward)
    {
        forward = null;
        var zone = Zone;
        Span<char> key = stackalloc char[PlainQuery.MaxKeyLength];
        var plain = PlainQuery.TryParse(packet, key, out var q, out var keyLength);
        if (plain)
        {
            var limit = tcp ? DnsMessageWriter.MaxMessageSize
                : q.HasEdns ? Math.Clamp((int)q.UdpPayloadSize, DnsMessageWriter.ClassicUdpSize, _maxUdpSize) : DnsMessageWriter.ClassicUdpSize;
            if (zone.Synced && zone.TryGet(key[..keyLength], out var cached) && TryCopy(cached, packet, q, response, limit, out written))
                return DnsHandling.Reply;
        }

        DnsMessage query;
        try
        {
            query = DnsMessageReader.Read(packet);
        }
        catch (DnsFormatException e)
        {
            if (e.Header is { IsResponse: false } header) return Write(DnsMessage.CreateFormatError(header), response, DnsMessageWriter.ClassicUdpSize, out written);
            written = 0;
            return DnsHandling.Drop;
        }

        if (query.IsResponse)
        {
            written = 0;
            return DnsHandling.Drop;
        }

        var max = tcp ? DnsMessageWriter.MaxMessageSize : DnsMessageWriter.MaxUdpResponseSize(query, _maxUdpSize);
        if (query.Edns is { Version: > 0 })
            return Write(Error(query, DnsResponseCode.BadVers), response, max, out written);
        if (query.Opcode != DnsOpcode.Query)
            return Write(Error(query, DnsResponseCode.NotImp), response, max, out written);
        if (query.Questions.Count != 1)
            return Write(Error(query, DnsResponseCode.FormErr), response, max, out written);
        if (!zone.Synced)
            return Write(Error(query, DnsResponseCode.ServFail), response, max, out written);

        var question = query.Questions[0];
        if (question.Class == DnsClass.IN && !zone.Zone.Serves(question.Name))
        {
            forward = query;
            written = 0;
            return DnsHandling.Forward;
        }

        try
        {
            return Answer(zone, query, question, plain, key[..keyLength], q, packet, response, tcp, max, out written);
        }
        catch (ArgumentException)
        {
            // A record name that would pass 255 octets (a long hostname under a long service name): not servable.
            return Write(Error(query, DnsResponseCode.ServFail), response, max, out written);
        }
    }

    private DnsHandling Answer(ZoneSnapshot zone, DnsMessage query, DnsQuestion question, bool plain, ReadOnlySpan<char> key, in PlainQuery q,
        ReadOnlySpan<byte> packet, Span<byte> response, bool tcp, int max, out int written)
    {
        if (plain)
        {
            // Encode once for this snapshot with the canonical spelling; every later query of the name is a copy.
            var canonical = new DnsMessage { Questions = [new DnsQuestion(question.Name.ToCanonical(), question.Type)] };
            var encoded = DnsMessageWriter.Write(zone.Zone.Answer(canonical));
            zone.Add(key, encoded);
            var limit = tcp ? DnsMessageWriter.MaxMessageSize : DnsMessageWriter.MaxUdpResponseSize(query, _maxUdpSize);
            if (TryCopy(encoded, packet, q, response, limit, out written)) return DnsHandling.Reply;
        }

        return Write(zone.Zone.Answer(query), response, max, out written);
    }

    /// <summary>Resolves a <see cref="DnsHandling.Forward"/>ed query upstream and encodes the answer for the client.</summary>
    public async Task<byte[]> ForwardAsync(DnsMessage query, bool tcp, CancellationToken ct)
    {
        var max = tcp ? DnsMessageWriter.MaxMessageSize : DnsMessageWriter.MaxUdpResponseSize(query, _maxUdpSize);
        var answer = await _upstream.ResolveAsync(query, ct);
        try
        {
            return DnsMessageWriter.Write(answer, max);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // An upstream answer our writer cannot carry to this client (e.g. an extended rcode without EDNS).
            return DnsMessageWriter.Write(Error(query, DnsResponseCode.ServFail), max);
        }
    }

    private static DnsMessage Error(DnsMessage query, DnsResponseCode code)
    {
        var response = DnsMessage.CreateResponse(query);
        response.RecursionAvailable = true;
        response.ResponseCode = code;
        if (code == DnsResponseCode.BadVers) response.Questions.Clear();
        return response;
    }

    private static DnsHandling Write(DnsMessage message, Span<byte> response, int max, out int written)
    {
        var bytes = DnsMessageWriter.Write(message, Math.Min(max, response.Length));
        bytes.CopyTo(response);
        written = bytes.Length;
        return DnsHandling.Reply;
    }

    /// <summary>The cached answer with the query's id, RD, CD and spelling, plus an OPT when the query had one.</summary>
    private bool TryCopy(byte[] answer, ReadOnlySpan<byte> packet, in PlainQuery q, Span<byte> response, int limit, out int written)
    {
        var total = answer.Length + (q.HasEdns ? PlainQuery.OptLength : 0);
        if (total > limit || total > response.Length)
        {
            written = 0;
            return false;
        }

        answer.CopyTo(response);
        response[0] = packet[0];
        response[1] = packet[1];
        response[2] = (byte)((answer[2] & 0xFE) | (packet[2] & 0x01));
        response[3] = (byte)((answer[3] & 0xEF) | (packet[3] & 0x10));
        packet.Slice(DnsHeader.Size, q.NameLength).CopyTo(response[DnsHeader.Size..]);
        if (q.HasEdns)
        {
            var opt = response.Slice(answer.Length, PlainQuery.OptLength);
            opt.Clear();
            BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)DnsType.OPT);
            BinaryPrimitives.WriteUInt16BigEndian(opt[3..], (ushort)_maxUdpSize);
            opt[7] = q.DnssecOk ? (byte)0x80 : (byte)0;
            BinaryPrimitives.WriteUInt16BigEndian(response[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) + 1));
        }

        written = total;
        return true;
    }
}
