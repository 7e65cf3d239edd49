using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Core.Validation;

/// <summary>
/// Strict IP and CIDR parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone is too lenient
/// for API input: it accepts "10", "10.1" and zone suffixes, none of which Kubernetes accepts.
/// </summary>
public static class IpValidation
{
    public const string InvalidIpMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    public const string InvalidIpv4Message = "must be a valid IPv4 address";
    public const string InvalidIpv6Message = "must be a valid IPv6 address";
    public const string InvalidCidrMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    public static IPAddress? ParseIp(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Contains(':'))
        {
            if (value.Contains('%') || value.Contains('[') || value.Contains('/')) return null;
            return IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var parts = value.Split('.');
        if (parts.Length != 4) return null;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            // Leading zeros are ambiguous (octal in some parsers), so Kubernetes refuses them.
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit)) return null;
            var n = int.Parse(p, CultureInfo.InvariantCulture);
            if (n > 255) return null;
            bytes[i] = (byte)n;
        }
        return new IPAddress(bytes);
    }

    /// <summary>Parses "a.b.c.d/n" or "v6/n"; the address part need not be the network address.</summary>
    public static bool TryParseCidr(string? value, out IPAddress address, out int prefixLength)
    {
        address = IPAddress.None;
        prefixLength = 0;
        if (string.IsNullOrEmpty(value)) return false;
        var slash = value.IndexOf('/');
        if (slash < 0) return false;
        var ip = ParseIp(value[..slash]);
        var bits = value[(slash + 1)..];
        if (ip is null || bits.Length is 0 or > 3 || !bits.All(char.IsAsciiDigit) || (bits.Length > 1 && bits[0] == '0')) return false;
        var n = int.Parse(bits, CultureInfo.InvariantCulture);
        if (n > (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)) return false;
        address = ip;
        prefixLength = n;
        return true;
    }

    public static List<string> IsValidIp(string value) => ParseIp(value) is null ? [InvalidIpMessage] : [];

    public static List<string> IsValidIpv4(string value) =>
        ParseIp(value) is { AddressFamily: AddressFamily.InterNetwork } ? [] : [InvalidIpv4Message];

    public static List<string> IsValidIpv6(string value) =>
        ParseIp(value) is { AddressFamily: AddressFamily.InterNetworkV6 } ? [] : [InvalidIpv6Message];

    public static List<string> IsValidCidr(string value) => TryParseCidr(value, out _, out _) ? [] : [InvalidCidrMessage];

    /// <summary>
    /// Addresses that can never be a Service's external IP: traffic to them never leaves the host or the link.
    /// </summary>
    public static List<string> IsNonSpecialIp(string value)
    {
        var ip = ParseIp(value);
        if (ip is null) return [InvalidIpMessage];
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) return ["may not be unspecified (0.0.0.0, ::)"];
        if (IPAddress.IsLoopback(ip)) return ["may not be in the loopback range (127.0.0.0/8, ::1/128)"];
        var b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            if (b[0] == 169 && b[1] == 254) return ["may not be in the link-local range (169.254.0.0/16, fe80::/10)"];
            if (b[0] == 224 && b[1] == 0 && b[2] == 0) return ["may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"];
        }
        else
        {
            if (ip.IsIPv6LinkLocal) return ["may not be in the link-local range (169.254.0.0/16, fe80::/10)"];
            if (b[0] == 0xff && (b[1] & 0x0f) == 0x02) return ["may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"];
        }
        return [];
    }
}
