namespace Orchestrator.Agent.Pods;

/// <summary>
/// Which exited containers of a pod can go, as the kubelet's container GC keeps them: per container name the
/// newest container and the newest exited one before it (the status's lastState and <c>kubectl logs
/// --previous</c>); of the sandboxes only the newest. Running containers are never chosen.
/// </summary>
public static class PodContainerPruning
{
    public static IEnumerable<ObservedContainer> Superfluous(ObservedPod pod)
    {
        var sandbox = pod.Sandbox;
        foreach (var c in pod.Containers.Where(c => c.IsSandbox && c != sandbox && c.State != ObservedContainerState.Running))
            yield return c;

        foreach (var name in pod.Containers.Where(c => !c.IsSandbox).Select(c => c.Name).Distinct())
        {
            var history = pod.History(name);
            var latest = history[0];
            var previous = pod.Previous(name, latest);
            foreach (var c in history.Skip(1).Where(c => c != previous && c.State != ObservedContainerState.Running))
                yield return c;
        }
    }
}
