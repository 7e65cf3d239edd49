using System.Text;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// TXT: one or more character-strings, each at most 255 octets (RFC 1035 §3.3.14). Strings are raw octets; the
/// string constructor encodes UTF-8 for convenience.
/// </summary>
public sealed record TxtRecordData : DnsRecordData
{
    public const int MaxStringLength = 255;

    public TxtRecordData(IEnumerable<byte[]> strings)
    {
        Strings = strings.Select(s => (byte[])s.Clone()).ToArray();
        foreach (var s in Strings)
            if (s.Length > MaxStringLength) throw new ArgumentException($"TXT string longer than {MaxStringLength} octets", nameof(strings));
    }

    public TxtRecordData(params string[] strings) : this(strings.Select(Encoding.UTF8.GetBytes))
    {
    }

    public IReadOnlyList<byte[]> Strings { get; }

    public override DnsType Type => DnsType.TXT;

    public bool Equals(TxtRecordData? other) =>
        other is not null && other.Strings.Count == Strings.Count && Strings.Zip(other.Strings).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in Strings) hash.AddBytes(s);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(" ", Strings.Select(s => DnsText.QuotedString(s)));
}
