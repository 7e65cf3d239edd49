namespace Orchestrator.Agent.Dns;

/// <summary>One entry of the question section (RFC 1035 §4.1.2).</summary>
public sealed record DnsQuestion(DnsName Name, DnsType Type, DnsClass Class = DnsClass.IN)
{
    public override string ToString() => $";{Name}\t{DnsText.Class(Class)}\t{DnsText.Type(Type)}";
}
