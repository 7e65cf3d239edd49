using System.Text;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// An absolute domain name as a list of labels. Labels are arbitrary octets (RFC 2181 §11); each is held as a string
/// whose chars are the octets 0-255 (Latin-1), so a label may contain a literal '.' or '\'. Invariants, checked on
/// construction: no empty label, each label at most 63 octets, wire length (labels + length bytes + root) at most 255.
/// Equality and hashing are case-insensitive for ASCII letters only (RFC 4343); the original case is kept for output.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    public const int MaxLabelLength = 63;
    public const int MaxWireLength = 255;

    private readonly string[] _labels;

    public static DnsName Root { get; } = new([]);

    private DnsName(string[] labels)
    {
        _labels = labels;
        WireLength = 1;
        foreach (var l in labels) WireLength += 1 + l.Length;
    }

    public IReadOnlyList<string> Labels => _labels;

    public int LabelCount => _labels.Length;

    public bool IsRoot => _labels.Length == 0;

    /// <summary>Octets this name takes on the wire uncompressed, including the terminating zero.</summary>
    public int WireLength { get; }

    /// <summary>Builds a name from raw labels (no escapes interpreted). Throws <see cref="ArgumentException"/>.</summary>
    public static DnsName FromLabels(IEnumerable<string> labels)
    {
        var array = labels.ToArray();
        var error = Validate(array);
        if (error != null) throw new ArgumentException(error, nameof(labels));
        return new DnsName(array);
    }

    /// <summary>Used by the reader, which has already enforced the limits.</summary>
    internal static DnsName FromValidatedLabels(string[] labels) => labels.Length == 0 ? Root : new DnsName(labels);

    /// <summary>
    /// Parses presentation format: labels separated by '.', a trailing dot optional (every name is absolute),
    /// <c>\DDD</c> for an octet in decimal and <c>\X</c> for a literal X (so <c>\.</c> is a dot inside a label).
    /// "." and "" are not the same: "." is the root, "" is rejected.
    /// </summary>
    public static DnsName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException($"invalid DNS name '{text}': {error}");

    public static bool TryParse(string text, out DnsName name) => TryParse(text, out name, out _);

    private static bool TryParse(string text, out DnsName name, out string error)
    {
        name = Root;
        if (text.Length == 0)
        {
            error = "empty";
            return false;
        }

        if (text == ".") { error = ""; return true; }

        var labels = new List<string>();
        var label = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (label.Length == 0) { error = "empty label"; return false; }
                labels.Add(label.ToString());
                label.Clear();
                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length) { error = "dangling backslash"; return false; }
                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = "\\DDD escape needs three digits";
                        return false;
                    }

                    var value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (value > 255) { error = "\\DDD escape above 255"; return false; }
                    label.Append((char)value);
                    i += 3;
                }
                else
                {
                    c = text[++i];
                    if (c > 0xFF) { error = "non-octet character"; return false; }
                    label.Append(c);
                }

                continue;
            }

            if (c > 0xFF) { error = "non-octet character (use punycode)"; return false; }
            label.Append(c);
        }

        if (label.Length > 0) labels.Add(label.ToString());
        var array = labels.ToArray();
        var invalid = Validate(array);
        if (invalid != null) { error = invalid; return false; }
        name = new DnsName(array);
        error = "";
        return true;
    }

    private static string? Validate(string[] labels)
    {
        var wire = 1;
        foreach (var l in labels)
        {
            if (l.Length == 0) return "empty label";
            if (l.Length > MaxLabelLength) return $"label longer than {MaxLabelLength} octets";
            foreach (var c in l)
                if (c > 0xFF) return "non-octet character";
            wire += 1 + l.Length;
        }

        return wire > MaxWireLength ? $"name longer than {MaxWireLength} octets" : null;
    }

    /// <summary>The same name with ASCII letters lower-cased: the canonical form (RFC 4034 §6.2), used as a map key.</summary>
    public DnsName ToCanonical()
    {
        string[]? lowered = null;
        for (var i = 0; i < _labels.Length; i++)
        {
            var lower = LowerAscii(_labels[i]);
            if (ReferenceEquals(lower, _labels[i]) && lowered == null) continue;
            lowered ??= (string[])_labels.Clone();
            lowered[i] = lower;
        }

        return lowered == null ? this : new DnsName(lowered);
    }

    /// <summary>True when this name equals <paramref name="zone"/> or lies below it.</summary>
    public bool IsSubdomainOf(DnsName zone)
    {
        if (zone._labels.Length > _labels.Length) return false;
        var offset = _labels.Length - zone._labels.Length;
        for (var i = 0; i < zone._labels.Length; i++)
            if (!LabelEquals(_labels[offset + i], zone._labels[i])) return false;
        return true;
    }

    /// <summary>The name with its first <paramref name="count"/> labels removed.</summary>
    public DnsName Parent(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _labels.Length);
        return count == 0 ? this : FromValidatedLabels(_labels[count..]);
    }

    /// <summary>A child name: <paramref name="label"/> (raw octets) followed by this name.</summary>
    public DnsName Prepend(string label) => FromLabels([label, .. _labels]);

    /// <summary>ASCII-only case-insensitive label comparison (RFC 4343: octets outside A-Z/a-z compare exactly).</summary>
    public static bool LabelEquals(string a, string b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
        return true;
    }

    public bool Equals(DnsName? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (other._labels.Length != _labels.Length || other.WireLength != WireLength) return false;
        for (var i = 0; i < _labels.Length; i++)
            if (!LabelEquals(_labels[i], other._labels[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is DnsName n && Equals(n);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var l in _labels)
        {
            hash.Add(l.Length);
            foreach (var c in l) hash.Add(LowerAscii(c));
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(DnsName? a, DnsName? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(DnsName? a, DnsName? b) => !(a == b);

    /// <summary>Presentation form, always with the trailing dot; '.', '\' and '"' escaped, other non-printables as \DDD.</summary>
    public override string ToString()
    {
        if (_labels.Length == 0) return ".";
        var sb = new StringBuilder(WireLength + 8);
        foreach (var l in _labels)
        {
            foreach (var c in l)
            {
                if (c is '.' or '\\' or '"') sb.Append('\\').Append(c);
                else if (c is < (char)0x21 or > (char)0x7E) sb.Append('\\').Append(((int)c).ToString("D3"));
                else sb.Append(c);
            }

            sb.Append('.');
        }

        return sb.ToString();
    }

    private static char LowerAscii(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;

    private static string LowerAscii(string s)
    {
        foreach (var c in s)
            if (c is >= 'A' and <= 'Z')
                return string.Create(s.Length, s, static (span, src) =>
                {
                    for (var i = 0; i < src.Length; i++) span[i] = LowerAscii(src[i]);
                });
        return s;
    }
}
