namespace Orchestrator.Agent.Dns.Server;

/// <summary>An upstream answer as received, with when it was stored (a <see cref="TimeProvider"/> timestamp) and for how long it is good.</summary>
internal sealed record UpstreamCacheEntry(DnsMessage Response, long StoredAt, uint Ttl);
