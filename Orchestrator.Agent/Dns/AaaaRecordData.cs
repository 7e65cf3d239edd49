using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Dns;

/// <summary>AAAA: one IPv6 address, RDLENGTH exactly 16 (RFC 3596 §2.2).</summary>
public sealed record AaaaRecordData : DnsRecordData
{
    public AaaaRecordData(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) throw new ArgumentException("AAAA needs an IPv6 address", nameof(address));
        Address = address;
    }

    public IPAddress Address { get; }

    public override DnsType Type => DnsType.AAAA;

    public override string ToString() => Address.ToString();
}
