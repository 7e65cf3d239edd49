using System.Text;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// A decoded DNS message (RFC 1035 §4.1): header flags, the four sections and the optional EDNS0 OPT data. Mutable so
/// a responder can fill it in; the codec never keeps one after returning. Equality compares everything the wire
/// carries except how names were compressed (and name case, which DNS ignores).
/// </summary>
public sealed class DnsMessage : IEquatable<DnsMessage>
{
    public ushort Id { get; set; }

    public bool IsResponse { get; set; }

    public DnsOpcode Opcode { get; set; }

    public bool IsAuthoritative { get; set; }

    /// <summary>TC. The writer also sets it on output when it had to drop answer or authority records.</summary>
    public bool IsTruncated { get; set; }

    public bool RecursionDesired { get; set; }

    public bool RecursionAvailable { get; set; }

    public bool AuthenticData { get; set; }

    public bool CheckingDisabled { get; set; }

    /// <summary>The full 12-bit rcode; values above 15 need <see cref="Edns"/>.</summary>
    public DnsResponseCode ResponseCode { get; set; }

    public List<DnsQuestion> Questions { get; set; } = [];

    public List<DnsResourceRecord> Answers { get; set; } = [];

    public List<DnsResourceRecord> Authorities { get; set; } = [];

    /// <summary>Additional records other than OPT, which is <see cref="Edns"/>.</summary>
    public List<DnsResourceRecord> Additionals { get; set; } = [];

    /// <summary>The OPT pseudo-record, or null when the message has none (then the peer does not speak EDNS).</summary>
    public DnsEdns? Edns { get; set; }

    /// <summary>
    /// A response skeleton for <paramref name="query"/>: same id, opcode, RD, CD and first question; EDNS echoed (with
    /// our payload size and no options) when the query had it, as RFC 6891 §6.1.1 asks.
    /// </summary>
    public static DnsMessage CreateResponse(DnsMessage query, ushort udpPayloadSize = 1232) => new()
    {
        Id = query.Id,
        IsResponse = true,
        Opcode = query.Opcode,
        RecursionDesired = query.RecursionDesired,
        CheckingDisabled = query.CheckingDisabled,
        Questions = query.Questions.Take(1).ToList(),
        Edns = query.Edns is null ? null : new DnsEdns { UdpPayloadSize = udpPayloadSize, DnssecOk = query.Edns.DnssecOk },
    };

    /// <summary>
    /// The FORMERR answer to a message the reader rejected: id, opcode and RD from the raw header, no sections
    /// (RFC 1035 §4.1.1; what we cannot parse we must not echo).
    /// </summary>
    public static DnsMessage CreateFormatError(DnsHeader header) => new()
    {
        Id = header.Id,
        IsResponse = true,
        Opcode = header.Opcode,
        RecursionDesired = header.RecursionDesired,
        ResponseCode = DnsResponseCode.FormErr,
    };

    public bool Equals(DnsMessage? other) =>
        other is not null && Id == other.Id && IsResponse == other.IsResponse && Opcode == other.Opcode
        && IsAuthoritative == other.IsAuthoritative && IsTruncated == other.IsTruncated
        && RecursionDesired == other.RecursionDesired && RecursionAvailable == other.RecursionAvailable
        && AuthenticData == other.AuthenticData && CheckingDisabled == other.CheckingDisabled
        && ResponseCode == other.ResponseCode && Equals(Edns, other.Edns)
        && Questions.SequenceEqual(other.Questions) && Answers.SequenceEqual(other.Answers)
        && Authorities.SequenceEqual(other.Authorities) && Additionals.SequenceEqual(other.Additionals);

    public override bool Equals(object? obj) => obj is DnsMessage m && Equals(m);

    public override int GetHashCode() => HashCode.Combine(Id, Questions.Count, Answers.Count, Authorities.Count, Additionals.Count);

    /// <summary>A dig-like dump, for logs and test failure messages.</summary>
    public override string ToString()
    {
        var flags = new List<string>();
        if (IsResponse) flags.Add("qr");
        if (IsAuthoritative) flags.Add("aa");
        if (IsTruncated) flags.Add("tc");
        if (RecursionDesired) flags.Add("rd");
        if (RecursionAvailable) flags.Add("ra");
        if (AuthenticData) flags.Add("ad");
        if (CheckingDisabled) flags.Add("cd");
        var rcode = Enum.IsDefined(ResponseCode) ? ResponseCode.ToString().ToUpperInvariant() : $"RCODE{(ushort)ResponseCode}";
        var sb = new StringBuilder()
            .Append($";; opcode: {Opcode.ToString().ToUpperInvariant()}, status: {rcode}, id: {Id}\n")
            .Append($";; flags: {string.Join(' ', flags)}; QUERY: {Questions.Count}, ANSWER: {Answers.Count}, ")
            .Append($"AUTHORITY: {Authorities.Count}, ADDITIONAL: {Additionals.Count + (Edns is null ? 0 : 1)}\n");
        if (Edns is not null) sb.Append(Edns).Append('\n');
        Section("QUESTION", Questions);
        Section("ANSWER", Answers);
        Section("AUTHORITY", Authorities);
        Section("ADDITIONAL", Additionals);
        return sb.ToString();

        void Section<T>(string title, List<T> items)
        {
            if (items.Count == 0) return;
            sb.Append($";; {title} SECTION:\n");
            foreach (var item in items) sb.Append(item).Append('\n');
        }
    }
}
