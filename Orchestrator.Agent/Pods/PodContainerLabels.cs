namespace Orchestrator.Agent.Pods;

/// <summary>
/// The Docker labels every container the agent creates carries. They are the only link between a container and its
/// pod: adoption after an agent restart, reaping of orphans, logs/exec lookups and <c>--previous</c> all read them,
/// so that no state outside Docker is needed.
/// </summary>
public static class PodContainerLabels
{
    /// <summary>Present (value "true") on everything this agent manages; orphan reaping never touches other containers.</summary>
    public const string Managed = "io.orchestrator.managed";
    public const string Node = "io.orchestrator.node";
    public const string PodNamespace = "io.orchestrator.pod.namespace";
    public const string PodName = "io.orchestrator.pod.name";
    public const string PodUid = "io.orchestrator.pod.uid";
    /// <summary>The container's name in the pod spec; <see cref="SandboxContainerName"/> for the sandbox.</summary>
    public const string ContainerName = "io.orchestrator.container.name";
    /// <summary><c>sandbox</c>, <c>init</c> or <c>app</c>.</summary>
    public const string ContainerKind = "io.orchestrator.container.kind";
    /// <summary>0 for the first run of a container in this pod, then 1, 2, … (the pod's restartCount).</summary>
    public const string Attempt = "io.orchestrator.container.attempt";
    /// <summary>A hash of the container's spec: a changed spec (kubectl edit of an image) means a new container.</summary>
    public const string SpecHash = "io.orchestrator.container.hash";
    /// <summary>The pod's terminationGracePeriodSeconds when the container was made (used when the pod is gone).</summary>
    public const string GracePeriod = "io.orchestrator.pod.termination-grace-period";

    public const string SandboxContainerName = "POD";
    public const string SandboxKind = "sandbox";
    public const string InitKind = "init";
    public const string AppKind = "app";

    /// <summary>The labels of a container of a pod (the spec hash and grace period are added by the caller).</summary>
    public static Dictionary<string, string> For(string node, string ns, string pod, string uid, string container, string kind, int attempt) =>
        new(StringComparer.Ordinal)
        {
            [Managed] = "true",
            [Node] = node,
            [PodNamespace] = ns,
            [PodName] = pod,
            [PodUid] = uid,
            [ContainerName] = container,
            [ContainerKind] = kind,
            [Attempt] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>
    /// The Docker name of a container, as dockershim named them: <c>k8s_CONTAINER_POD_NAMESPACE_UID_ATTEMPT</c>
    /// (<c>k8s_POD_…</c> for the sandbox), so <c>docker ps</c> tells at a glance what runs.
    /// </summary>
    public static string DockerName(string container, string pod, string ns, string uid, int attempt) =>
        $"k8s_{container}_{pod}_{ns}_{uid}_{attempt}";
}
