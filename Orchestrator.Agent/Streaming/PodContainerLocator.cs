using System.Globalization;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// Finds the Docker containers of a pod on this node by their labels alone (<see cref="PodContainerLabels"/>), so
/// logs and exec work for whatever the pod sync loop made, including after an agent restart. The current container
/// of a name is the one with the highest attempt; the previous one (<c>--previous</c>) is the next most recent that
/// has exited.
/// </summary>
public sealed class PodContainerLocator(DockerClient docker, NodeIdentity identity)
{
    /// <summary>All containers of <paramref name="container"/> in the pod, newest attempt first.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> AttemptsAsync(string ns, string pod, string? podUid, string container,
        CancellationToken cancellationToken)
    {
        var found = await docker.ListContainersByLabelAsync(Labels(ns, pod, podUid, container), all: true, cancellationToken);
        return found
            .OrderByDescending(c => AttemptOf(c))
            .ThenByDescending(c => c.Created)
            .ToList();
    }

    /// <summary>The current container, or a 400 like the kubelet's when none was made yet.</summary>
    public async Task<ContainerSummary> CurrentAsync(string ns, string pod, string? podUid, string container, CancellationToken cancellationToken)
    {
        var attempts = await AttemptsAsync(ns, pod, podUid, container, cancellationToken);
        return attempts.Count > 0
            ? attempts[0]
            : throw new StreamingRequestException(400, "BadRequest", $"container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating");
    }

    /// <summary>The last terminated container before the current one (what <c>kubectl logs --previous</c> shows).</summary>
    public async Task<ContainerSummary> PreviousAsync(string ns, string pod, string? podUid, string container, CancellationToken cancellationToken)
    {
        var attempts = await AttemptsAsync(ns, pod, podUid, container, cancellationToken);
        return attempts.Skip(1).FirstOrDefault(c => c.State != "running")
            ?? throw new StreamingRequestException(400, "BadRequest", $"previous terminated container \"{container}\" in pod \"{pod}\" not found");
    }

    /// <summary>
    /// The IP of the pod: the sandbox's address on its network; without a sandbox (a pod made outside the sync loop),
    /// the address of a running container of the pod that has its own network namespace.
    /// </summary>
    public async Task<string> PodIpAsync(string ns, string pod, string? podUid, CancellationToken cancellationToken)
    {
        var all = await docker.ListContainersByLabelAsync(Labels(ns, pod, podUid, null), all: false, cancellationToken);
        foreach (var candidate in all.OrderBy(c => c.Labels?.GetValueOrDefault(PodContainerLabels.ContainerKind) == PodContainerLabels.SandboxKind ? 0 : 1)
                     .ThenByDescending(AttemptOf))
        {
            var inspect = await docker.TryInspectContainerAsync(candidate.Id!, cancellationToken);
            var networks = inspect?.NetworkSettings?.Networks?.Values ?? Enumerable.Empty<EndpointSettings>();
            var ip = networks.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a))
                     ?? inspect?.NetworkSettings?.IPAddress;
            if (!string.IsNullOrEmpty(ip)) return ip;
        }
        throw new StreamingRequestException(400, "BadRequest", $"pod \"{pod}\" has no running sandbox with an IP address on this node");
    }

    private List<string> Labels(string ns, string pod, string? podUid, string? container)
    {
        var labels = new List<string>
        {
            $"{PodContainerLabels.Managed}=true",
            $"{PodContainerLabels.Node}={identity.Name}",
            $"{PodContainerLabels.PodNamespace}={ns}",
            $"{PodContainerLabels.PodName}={pod}",
        };
        if (!string.IsNullOrEmpty(podUid)) labels.Add($"{PodContainerLabels.PodUid}={podUid}");
        if (container != null) labels.Add($"{PodContainerLabels.ContainerName}={container}");
        return labels;
    }

    private static int AttemptOf(ContainerSummary c) =>
        int.TryParse(c.Labels?.GetValueOrDefault(PodContainerLabels.Attempt), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
