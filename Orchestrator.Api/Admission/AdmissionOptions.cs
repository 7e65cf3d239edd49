namespace Orchestrator.Api.Admission;

/// <summary>The address ranges admission allocates from or checks against (the server's command-line flags).</summary>
public sealed record AdmissionOptions
{
    /// <summary>--service-cidr: where cluster IPs come from.</summary>
    public string ServiceCidr { get; init; } = "10.96.0.0/12";

    /// <summary>--node-port-range, "first-last".</summary>
    public string NodePortRange { get; init; } = "30000-32767";

    /// <summary>--cluster-cidr: pod addresses; must not overlap the service CIDR or routing breaks.</summary>
    public string ClusterCidr { get; init; } = "10.244.0.0/16";
}
