using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Core.Validation;

namespace Orchestrator.Agent.Network;

/// <summary>An IPv4 prefix in its normal form (host bits cleared): <c>10.244.1.0/24</c>.</summary>
public sealed record Ipv4Cidr(uint Network, int PrefixLength)
{
    public IPAddress NetworkAddress => ToAddress(Network);

    /// <summary>The first address after the network address: the bridge's own address, the pods' gateway.</summary>
    public IPAddress Gateway => ToAddress(Network + 1);

    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";

    /// <summary>Parses <c>a.b.c.d/n</c> (host bits may be set; they are dropped). IPv6 and junk are false.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Ipv4Cidr? cidr)
    {
        cidr = null;
        if (!IpValidation.TryParseCidr(text, out var address, out var prefix) || address.AddressFamily != AddressFamily.InterNetwork)
            return false;
        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        cidr = new Ipv4Cidr(value & mask, prefix);
        return true;
    }

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
