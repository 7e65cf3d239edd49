using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Turns a pod's spec into Docker create requests. Labels (<see cref="PodContainerLabels"/>) are set on every
/// request; the caller picks the Docker name (<see cref="PodContainerLabels.DockerName"/>).
/// </summary>
public interface IContainerConfigFactory
{
    /// <summary>
    /// The sandbox: owns the network namespace (on <paramref name="podNetwork"/>), the hostname (pod name or
    /// spec.hostname/subdomain), <c>/etc/hosts</c> and <c>/etc/resolv.conf</c> (written into the pod's folder and
    /// bind-mounted into every container), host ports, and runs <paramref name="sandboxImage"/>.
    /// With <c>hostNetwork: true</c> it joins the host's network namespace instead.
    /// </summary>
    ContainerCreateRequest Sandbox(PodContext pod, string podNetwork, string sandboxImage, int attempt);

    /// <summary>
    /// An init or app container joined to the sandbox (<c>NetworkMode: container:SANDBOX</c>): image, command,
    /// args, workingDir, env (values, fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef, envFrom, the
    /// service variables of <c>enableServiceLinks</c>), volume mounts, resources, securityContext, tty/stdin.
    /// Throws <see cref="ContainerConfigException"/> when a referenced object or key is missing.
    /// </summary>
    Task<ContainerCreateRequest> ContainerAsync(PodContext pod, JsonObject container, string kind, int attempt, CancellationToken ct);

    /// <summary>The hash stored in <see cref="PodContainerLabels.SpecHash"/>: changes when the container's spec changes.</summary>
    string SpecHash(JsonObject container);
}
