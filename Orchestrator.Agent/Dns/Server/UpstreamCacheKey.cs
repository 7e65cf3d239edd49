namespace Orchestrator.Agent.Dns.Server;

/// <summary>What an upstream answer depends on besides the spelling of the name (<see cref="DnsName"/> compares case-insensitively).</summary>
internal readonly record struct UpstreamCacheKey(DnsName Name, DnsType Type, DnsClass Class, bool DnssecOk, bool CheckingDisabled);
