using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Dns;

/// <summary>A: one IPv4 address, RDLENGTH exactly 4 (RFC 1035 §3.4.1).</summary>
public sealed record ARecordData : DnsRecordData
{
    public ARecordData(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("A needs an IPv4 address", nameof(address));
        Address = address;
    }

    public IPAddress Address { get; }

    public override DnsType Type => DnsType.A;

    public override string ToString() => Address.ToString();
}
