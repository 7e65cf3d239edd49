namespace Orchestrator.Agent.Pods;

/// <summary>
/// All Docker containers of one pod uid on this node (sandboxes, init and app containers, running or exited),
/// with the lookups the sync and the status need. Newest first means highest attempt, then latest creation.
/// </summary>
public sealed class ObservedPod
{
    public ObservedPod(string uid, IEnumerable<ObservedContainer> containers)
    {
        Uid = uid;
        Containers = containers
            .OrderByDescending(c => c.Attempt)
            .ThenByDescending(c => c.CreatedAt ?? DateTimeOffset.MinValue)
            .ToList();
    }

    public string Uid { get; }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ObservedContainer> Containers { get; }

    public bool IsEmpty => Containers.Count == 0;

    /// <summary>The sandbox the pod uses now: the newest one (a running one when any runs).</summary>
    public ObservedContainer? Sandbox =>
        Containers.FirstOrDefault(c => c.IsSandbox && c.State == ObservedContainerState.Running)
        ?? Containers.FirstOrDefault(c => c.IsSandbox);

    /// <summary>The containers of one spec container (not the sandbox), newest first.</summary>
    public IReadOnlyList<ObservedContainer> History(string name) =>
        Containers.Where(c => !c.IsSandbox && c.Name == name).ToList();

    public ObservedContainer? Latest(string name) => Containers.FirstOrDefault(c => !c.IsSandbox && c.Name == name);

    /// <summary>The newest exited container of <paramref name="name"/> other than <paramref name="latest"/>: the lastState.</summary>
    public ObservedContainer? Previous(string name, ObservedContainer? latest) =>
        Containers.FirstOrDefault(c => !c.IsSandbox && c.Name == name && c.State == ObservedContainerState.Exited && c != latest);

    public IEnumerable<ObservedContainer> Running => Containers.Where(c => c.State == ObservedContainerState.Running);
}
