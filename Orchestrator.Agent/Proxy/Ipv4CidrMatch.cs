using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Network;

namespace Orchestrator.Agent.Proxy;

/// <summary>Membership of an IPv4 address (or an IPv4-mapped IPv6 address) in an <see cref="Ipv4Cidr"/>.</summary>
public static class Ipv4CidrMatch
{
    public static bool Contains(this Ipv4Cidr cidr, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetwork) return false;
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var mask = cidr.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - cidr.PrefixLength);
        return (value & mask) == cidr.Network;
    }

    public static bool ContainedInAny(this IReadOnlyList<Ipv4Cidr> cidrs, IPAddress address)
    {
        foreach (var c in cidrs)
            if (c.Contains(address)) return true;
        return false;
    }
}
