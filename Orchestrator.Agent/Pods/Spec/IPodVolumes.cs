using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The pod's volumes on the node: emptyDir (a folder, or tmpfs for medium Memory), hostPath (with its type
/// checks), configMap, secret and downwardAPI (files written atomically, refreshed while the pod runs), projected.
/// </summary>
public interface IPodVolumes
{
    /// <summary>
    /// Creates or refreshes every volume of the pod under <paramref name="volumeDirectory"/> and returns the host
    /// path of each by volume name. Throws <see cref="ContainerConfigException"/> (reason <c>FailedMount</c>) when
    /// a volume cannot be set up (a missing ConfigMap that is not optional, a hostPath of the wrong type).
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> PrepareAsync(JsonObject pod, string volumeDirectory, CancellationToken ct);

    /// <summary>Removes the pod's folder once all its containers are gone.</summary>
    Task CleanupAsync(string volumeDirectory, CancellationToken ct);
}
