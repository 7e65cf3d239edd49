using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Stops pods and their containers:
/// <list type="number">
/// <item>graceful deletion (the pod has <c>metadata.deletionTimestamp</c>): preStop hooks, then Docker stop (the
/// image's stop signal, SIGTERM by default, then SIGKILL) of every container within what is left of the grace
/// period, then the sandbox; remove the containers and the pod's folder; confirm with DELETE gracePeriodSeconds=0
/// and a uid precondition (a pod recreated under the same name is not touched);</item>
/// <item>orphans (a pod uid no longer on this node): stop with the grace period recorded in the container's label,
/// remove, clean the folder;</item>
/// <item>single containers (liveness failure, spec change, terminal pods) with the pod's grace period.</item>
/// </list>
/// </summary>
public sealed class PodTerminator(
    DockerClient docker,
    IKubeClient client,
    IPodVolumes volumes,
    IProbeManager probes,
    ILifecycleHandlers hooks,
    PodEvents events,
    PodSyncPaths paths,
    TimeProvider time,
    ILogger<PodTerminator> log)
{
    /// <summary>The kubelet never gives a container less than this to stop once a grace period is asked for.</summary>
    private static readonly TimeSpan MinimumGrace = TimeSpan.FromSeconds(2);

    public static TimeSpan GracePeriodOf(JsonObject pod) =>
        TimeSpan.FromSeconds(pod["spec"].Long("terminationGracePeriodSeconds") ?? 30);

    /// <summary>Steps 1: returns true once the API confirmed the deletion (or the pod is gone already).</summary>
    public async Task<bool> TerminateAsync(JsonObject pod, ObservedPod observed, string? podIp, CancellationToken ct)
    {
        var deadline = KubeTime.Parse(pod["metadata"].Str("deletionTimestamp")) ?? time.GetUtcNow();
        var grace = deadline - time.GetUtcNow();
        if (pod["metadata"].Long("deletionGracePeriodSeconds") is > 0 && grace < MinimumGrace)
            grace = MinimumGrace;
        if (grace < TimeSpan.Zero) grace = TimeSpan.Zero;

        var running = observed.Running.Where(c => !c.IsSandbox).ToList();
        if (running.Count > 0)
            log.LogInformation("Stopping pod {Namespace}/{Name}: {Count} container(s), grace {Grace}s",
                pod.Namespace(), pod.Name(), running.Count, (int)grace.TotalSeconds);
        await Task.WhenAll(running.Select(c => StopAsync(pod, c, grace, podIp, "Stopping container " + c.Name, ct)));
        await StopSandboxesAsync(observed, ct);
        await RemoveAllAsync(observed, ct);
        await CleanupFolderAsync(observed.Uid, ct);

        try
        {
            await client.DeleteAsync(Kinds.Pod, pod.Namespace(), pod.Name() ?? "",
                new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: pod.Uid()), ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone already, or a new pod holds the name: our pod is not there any more either way.
        }
        log.LogInformation("Pod {Namespace}/{Name} terminated", pod.Namespace(), pod.Name());
        return true;
    }

    /// <summary>Step 2: containers whose pod is not on this node any more.</summary>
    public async Task CleanupOrphanAsync(ObservedPod observed, CancellationToken ct)
    {
        var first = observed.Containers.FirstOrDefault();
        log.LogInformation("Removing {Count} container(s) of pod uid {Uid}, which is not on this node any more", observed.Containers.Count, observed.Uid);
        await Task.WhenAll(observed.Running.Where(c => !c.IsSandbox).Select(async c =>
        {
            probes.Untrack(c.Id);
            await StopQuietlyAsync(c.Id, TimeSpan.FromSeconds(c.GracePeriodSeconds ?? first?.GracePeriodSeconds ?? 30), ct);
        }));
        await StopSandboxesAsync(observed, ct);
        await RemoveAllAsync(observed, ct);
        await CleanupFolderAsync(observed.Uid, ct);
    }

    /// <summary>
    /// Step 3: stops one container of a pod: its preStop hook (bounded by the grace period), then Docker stop with
    /// what is left of the grace period. Probing stops first, so a dying container is not reported unhealthy.
    /// </summary>
    public async Task StopAsync(JsonObject pod, ObservedContainer container, TimeSpan grace, string? podIp, string? killingMessage, CancellationToken ct)
    {
        probes.Untrack(container.Id);
        if (killingMessage != null) events.Normal(pod, "Killing", killingMessage);
        var started = time.GetUtcNow();
        var spec = ContainerSpec(pod, container.Name);
        if (spec?["lifecycle"]?["preStop"] is not null && grace > TimeSpan.Zero)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(grace);
            var target = new ContainerProbeTarget(pod.Uid() ?? "", pod, spec, container.Id, podIp, container.StartedAt ?? started);
            try
            {
                await hooks.RunPreStopAsync(target, bounded.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                log.LogInformation("preStop hook of {Container} in {Pod} used up the grace period", container.Name, PodEvents.Format(pod));
            }
        }
        var left = grace - (time.GetUtcNow() - started);
        await StopQuietlyAsync(container.Id, left > TimeSpan.Zero ? left : TimeSpan.Zero, ct);
    }

    /// <summary>Stops the pod's sandboxes (the pause process exits on SIGTERM at once).</summary>
    public async Task StopSandboxesAsync(ObservedPod observed, CancellationToken ct)
    {
        foreach (var sandbox in observed.Running.Where(c => c.IsSandbox))
            await StopQuietlyAsync(sandbox.Id, MinimumGrace, ct);
    }

    public async Task RemoveAllAsync(ObservedPod observed, CancellationToken ct)
    {
        foreach (var c in observed.Containers)
        {
            probes.Untrack(c.Id);
            await RemoveQuietlyAsync(c.Id, ct);
        }
    }

    public async Task RemoveQuietlyAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.RemoveContainerAsync(id, force: true, volumes: true, ct);
        }
        catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or Docker is removing it (conflict "removal already in progress").
        }
    }

    private async Task StopQuietlyAsync(string id, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await docker.StopContainerAsync(id, timeout, ct);
        }
        catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }

    private async Task CleanupFolderAsync(string uid, CancellationToken ct)
    {
        try
        {
            await volumes.CleanupAsync(paths.VolumeDirectory(uid), ct);
            var podDir = paths.PodDirectory(uid);
            if (Directory.Exists(podDir)) Directory.Delete(podDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Could not remove the folder of pod uid {Uid}: {Message}", uid, e.Message);
        }
    }

    public static JsonObject? ContainerSpec(JsonObject pod, string name) =>
        (pod["spec"]?["containers"] as JsonArray ?? []).Concat(pod["spec"]?["initContainers"] as JsonArray ?? [])
        .OfType<JsonObject>().FirstOrDefault(c => c.Str("name") == name);
}
