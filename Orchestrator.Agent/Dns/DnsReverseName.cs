using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// PTR owner names for addresses:
/// <code>
///   IPv4 1.2.3.4      ↔ 4.3.2.1.in-addr.arpa.                      (RFC 1035 §3.5; octets reversed, decimal)
///   IPv6 2001:db8::1  ↔ 1.0.0.0. … .8.b.d.0.1.0.0.2.ip6.arpa.       (RFC 3596 §2.5; 32 nibbles reversed, hex)
/// </code>
/// Parsing is strict: exactly 4 decimal labels without leading zeros, or exactly 32 single hex digits; a shorter name
/// (a reverse zone, not a host) is not an address.
/// </summary>
public static class DnsReverseName
{
    public static DnsName InAddrArpa { get; } = DnsName.Parse("in-addr.arpa.");

    public static DnsName Ip6Arpa { get; } = DnsName.Parse("ip6.arpa.");

    public static DnsName FromAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return DnsName.FromLabels([.. bytes.Reverse().Select(b => b.ToString()), "in-addr", "arpa"]);

        var labels = new List<string>(34);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            labels.Add(HexDigit(bytes[i] & 0x0F));
            labels.Add(HexDigit(bytes[i] >> 4));
        }

        labels.Add("ip6");
        labels.Add("arpa");
        return DnsName.FromLabels(labels);

        static string HexDigit(int n) => "0123456789abcdef"[n].ToString();
    }

    public static bool TryParseAddress(DnsName name, out IPAddress? address)
    {
        address = null;
        var labels = name.Labels;
        if (labels.Count == 6 && name.IsSubdomainOf(InAddrArpa))
        {
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                var l = labels[3 - i];
                if (l.Length is 0 or > 3 || (l.Length > 1 && l[0] == '0') || !l.All(char.IsAsciiDigit)) return false;
                var value = int.Parse(l, System.Globalization.CultureInfo.InvariantCulture);
                if (value > 255) return false;
                bytes[i] = (byte)value;
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (labels.Count == 34 && name.IsSubdomainOf(Ip6Arpa))
        {
            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                var l = labels[31 - i];
                if (l.Length != 1 || !char.IsAsciiHexDigit(l[0])) return false;
                var nibble = Convert.ToInt32(l, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
            }

            address = new IPAddress(bytes);
            return true;
        }

        return false;
    }
}
