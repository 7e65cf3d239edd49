namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// Options of the health-check node ports, bound from the configuration section <see cref="Section"/> it shares with
/// the service proxy (<c>ServiceProxy__HealthCheckEnabled=false</c> in the environment turns just this off).
/// </summary>
public sealed class HealthCheckNodePortOptions
{
    public const string Section = "ServiceProxy";

    /// <summary>The whole service proxy; false (test agents) means no health-check ports either.</summary>
    public bool Enabled { get; set; } = true;

    public bool HealthCheckEnabled { get; set; } = true;

    /// <summary>
    /// The addresses to listen on. Empty (the default): every local IPv4 address except those in the service CIDR,
    /// looked up again on every change, as kube-proxy serves health checks on the node's addresses. Tests list a
    /// loopback address of their own.
    /// </summary>
    public List<string> HealthCheckAddresses { get; set; } = [];

    /// <summary>A port that could not be bound (taken by another process) is tried again this often.</summary>
    public TimeSpan HealthCheckRetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
