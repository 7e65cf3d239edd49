namespace Orchestrator.Agent.Metrics;

/// <summary>Configuration section <c>Metrics</c>: the plain-HTTP metrics and health port, on loopback like kube-proxy's 10249.</summary>
public sealed class AgentMetricsOptions
{
    public const string Section = "Metrics";

    public bool Enabled { get; set; } = true;

    /// <summary>address:port; port 0 picks a free one (tests).</summary>
    public string Bind { get; set; } = "127.0.0.1:10249";
}
