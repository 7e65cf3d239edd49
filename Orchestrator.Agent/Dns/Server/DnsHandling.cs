namespace Orchestrator.Agent.Dns.Server;

/// <summary>What <see cref="ClusterDnsResponder.Handle"/> decided about one packet.</summary>
public enum DnsHandling
{
    /// <summary>The response is in the caller's buffer.</summary>
    Reply,

    /// <summary>Not answerable (a response, or fewer than 12 octets): send nothing.</summary>
    Drop,

    /// <summary>Not ours: the caller awaits <see cref="ClusterDnsResponder.ForwardAsync"/> off the receive loop.</summary>
    Forward,
}
