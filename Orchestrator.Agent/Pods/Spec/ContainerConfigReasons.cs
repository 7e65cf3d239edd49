namespace Orchestrator.Agent.Pods.Spec;

/// <summary>The kubelet's waiting reasons for a container that cannot be built from its spec.</summary>
public static class ContainerConfigReasons
{
    /// <summary>A referenced ConfigMap, Secret or key is missing, or the spec cannot be turned into a config.</summary>
    public const string CreateContainerConfigError = "CreateContainerConfigError";

    /// <summary>A volume cannot be set up (the kubelet's <c>FailedMount</c> event).</summary>
    public const string FailedMount = "FailedMount";
}
