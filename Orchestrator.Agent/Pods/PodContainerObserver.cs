using System.Collections.Concurrent;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Reads this node's pod containers from Docker. Only containers labelled <see cref="PodContainerLabels.Managed"/>
/// and <see cref="PodContainerLabels.Node"/> = this node are ever seen, so the agent never touches containers it
/// did not make (other tools, other agents sharing the daemon in tests).
/// </summary>
public sealed class PodContainerObserver(DockerClient docker, NodeIdentity identity)
{
    private readonly ConcurrentDictionary<string, string> _imageRefs = new(StringComparer.Ordinal);

    private string[] NodeLabels => [$"{PodContainerLabels.Managed}=true", $"{PodContainerLabels.Node}={identity.Name}"];

    /// <summary>All containers of one pod uid (sandboxes included, running or not), inspected.</summary>
    public async Task<ObservedPod> ObserveAsync(string uid, CancellationToken ct)
    {
        var list = await docker.ListContainersByLabelAsync([.. NodeLabels, $"{PodContainerLabels.PodUid}={uid}"], all: true, ct);
        var inspected = await Task.WhenAll(list.Where(c => c.Id is not null).Select(c => docker.TryInspectContainerAsync(c.Id!, ct)));
        return new ObservedPod(uid, inspected.OfType<ContainerInspect>().Select(ObservedContainer.FromInspect).OfType<ObservedContainer>());
    }

    /// <summary>The pod uids that have containers (of ours, on this node) in Docker.</summary>
    public async Task<IReadOnlyCollection<string>> ListPodUidsAsync(CancellationToken ct)
    {
        var list = await docker.ListContainersByLabelAsync(NodeLabels, all: true, ct);
        return list.Select(c => c.Labels?.GetValueOrDefault(PodContainerLabels.PodUid)).OfType<string>()
            .Where(u => u.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The status imageID of a Docker image id: <c>docker-pullable://REPO@sha256:…</c> when the image came from a
    /// registry (it has a repo digest), otherwise <c>docker://sha256:…</c> (built or imported locally).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ImageRefsAsync(ObservedPod pod, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in pod.Containers.Select(c => c.ImageId).OfType<string>().Distinct())
        {
            if (!_imageRefs.TryGetValue(id, out var reference))
            {
                var image = await docker.TryInspectImageAsync(id, ct);
                reference = image?.RepoDigests?.FirstOrDefault() is { Length: > 0 } digest ? "docker-pullable://" + digest : "docker://" + id;
                if (image is not null) _imageRefs[id] = reference;
            }
            result[id] = reference;
        }
        return result;
    }
}
