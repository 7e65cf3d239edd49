using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>Containment and ordering of IPv4 addresses and prefixes, for deciding which routes make sense.</summary>
public static class Ipv4Math
{
    public static uint ToUInt32(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static bool Contains(Ipv4Cidr cidr, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt32(address) & Mask(cidr.PrefixLength)) == cidr.Network;

    public static bool Overlaps(Ipv4Cidr a, Ipv4Cidr b)
    {
        var mask = Mask(Math.Min(a.PrefixLength, b.PrefixLength));
        return (a.Network & mask) == (b.Network & mask);
    }

    /// <summary>
    /// An address that may stand on an interface as a service address: IPv4, not unspecified, loopback, multicast or
    /// limited broadcast.
    /// </summary>
    public static bool IsAssignable(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) return false;
        var v = ToUInt32(address);
        return v != 0 && v >> 24 != 127 && v >> 28 != 0xE && v != uint.MaxValue;
    }

    public static int Compare(IPAddress a, IPAddress b) => ToUInt32(a).CompareTo(ToUInt32(b));

    private static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
}
