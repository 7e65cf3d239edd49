using Orchestrator.Agent.Node;

namespace Orchestrator.Agent.Pods;

/// <summary>Where a pod's files live on the node: <c>DATA/pods/UID/</c>, its volumes in <c>DATA/pods/UID/volumes</c>.</summary>
public sealed class PodSyncPaths(AgentOptions options)
{
    public string PodDirectory(string uid) => Path.Combine(options.DataDir, "pods", uid);

    public string VolumeDirectory(string uid) => Path.Combine(PodDirectory(uid), "volumes");
}
