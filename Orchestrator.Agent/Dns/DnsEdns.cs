namespace Orchestrator.Agent.Dns;

/// <summary>
/// The OPT pseudo-record (RFC 6891 §6.1) as message-level data rather than a record: a message has at most one, it
/// always sits in the additional section with the root name, and its CLASS and TTL fields are not a class and a TTL:
/// <code>
///   CLASS = requestor's UDP payload size
///   TTL   = | EXTENDED-RCODE (8) | VERSION (8) | DO (1) | Z (15) |
/// </code>
/// The extended rcode is folded into <see cref="DnsMessage.ResponseCode"/> by the reader and split out by the writer.
/// </summary>
public sealed record DnsEdns
{
    /// <summary>RFC 6891 §6.2.5: values below 512 are treated as 512.</summary>
    public const int MinimumPayloadSize = 512;

    public ushort UdpPayloadSize { get; init; } = 1232;

    public byte Version { get; init; }

    public bool DnssecOk { get; init; }

    /// <summary>The 15 Z bits after DO; must be zero per RFC 6891 but carried so a round trip is exact.</summary>
    public ushort Z { get; init; }

    public IReadOnlyList<EdnsOption> Options { get; init; } = [];

    /// <summary>Octets of the OPT record on the wire: root name, fixed fields, then 4 + length per option.</summary>
    public int WireLength => 11 + Options.Sum(o => 4 + o.Data.Length);

    public bool Equals(DnsEdns? other) =>
        other is not null && other.UdpPayloadSize == UdpPayloadSize && other.Version == Version && other.DnssecOk == DnssecOk
        && other.Z == Z && other.Options.SequenceEqual(Options);

    public override int GetHashCode() => HashCode.Combine(UdpPayloadSize, Version, DnssecOk, Z, Options.Count);

    public override string ToString() =>
        $"; EDNS: version: {Version}, flags:{(DnssecOk ? " do" : "")}; udp: {UdpPayloadSize}" +
        (Options.Count == 0 ? "" : "; " + string.Join(" ", Options));
}
