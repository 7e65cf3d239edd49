using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// One level-triggered sync of one pod (by uid): compares the pod's spec with the containers Docker has for it and
/// does the next steps, then writes the status. Idempotent, and safe to run at any time from any state; the
/// <see cref="PodSyncLoop"/> guarantees one sync per pod at a time.
/// <code>
/// pod gone ─────────────▶ orphan: seen deleted → remove now; otherwise after the orphan grace period
/// deletionTimestamp ────▶ PodTerminator: preStop, stop (grace), sandbox, remove, folder, DELETE grace=0
/// Succeeded/Failed ─────▶ stop what still runs, keep the containers (logs) until the pod is deleted
/// otherwise:
///   1. volumes (DATA/pods/UID/volumes), refreshed now and then
///   2. sandbox: reuse the running one; a dead one is replaced, and the pod's containers with it
///   3. init containers, in order, each to completion (restart on failure unless the policy is Never)
///   4. app containers: pull, create, start, postStart; restart per policy with the crash-loop back-off;
///      replace on a spec change; kill on a failed liveness probe
///   5. keep the newest exited container per name (kubectl logs --previous), remove older ones
///   6. status (PodStatusBuilder → PodStatusWriter); a pod that just became terminal has its sandbox stopped
/// </code>
/// Returns when to look again (a back-off ending), or null to wait for the next trigger or resync.
/// </summary>
public sealed class PodWorker(
    NodePodIndex index,
    PodContainerObserver observer,
    DockerClient docker,
    IContainerConfigFactory configs,
    IPodVolumes volumes,
    IImageManager images,
    IPodNetwork network,
    IProbeManager probes,
    ILifecycleHandlers hooks,
    PodTerminator terminator,
    PodStatusWriter statusWriter,
    CrashLoopBackoff backoff,
    PodEvents events,
    PodSyncPaths paths,
    NodeIdentity identity,
    IOptions<PodSyncOptions> options,
    TimeProvider time,
    ILogger<PodWorker> log)
{
    /// <summary>How soon a container waiting for something outside (an image, a ConfigMap, Docker) is looked at again.</summary>
    private static readonly TimeSpan RetryWaiting = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, PodWorkerState> _states = new(StringComparer.Ordinal);
    // Old containers Docker refused to remove (logged once each).
    private readonly ConcurrentDictionary<string, byte> _unremovable = new(StringComparer.Ordinal);

    private string HostIp => identity.InternalIp.ToString();

    /// <summary>A probe manager verdict: the container is killed by its pod's next sync.</summary>
    public void RequestKill(string podUid, string containerId, string message) =>
        _states.GetOrAdd(podUid, _ => new PodWorkerState()).PendingKills[containerId] = message;

    public async Task<TimeSpan?> SyncAsync(string uid, CancellationToken ct)
    {
        var pod = index.Get(uid);
        var observed = await observer.ObserveAsync(uid, ct);
        if (pod is null)
            return await SyncOrphanAsync(uid, observed, ct);

        var state = _states.GetOrAdd(uid, _ => new PodWorkerState());
        state.OrphanSince = null;
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            await terminator.TerminateAsync(pod, observed, PodIpOf(pod, null), ct);
            Forget(uid);
            return null;
        }
        if (PodPhaseRules.IsTerminal(pod["status"].Str("phase")))
        {
            await StopTerminalAsync(pod, observed, ct);
            await WriteStatusAsync(pod, observed, null, new Dictionary<string, ContainerWaiting>(), ct);
            return null;
        }
        return await SyncActiveAsync(pod, state, observed, ct);
    }

    // ---- pods that are gone -------------------------------------------------------------------------------------

    private async Task<TimeSpan?> SyncOrphanAsync(string uid, ObservedPod observed, CancellationToken ct)
    {
        if (observed.IsEmpty)
        {
            Forget(uid);
            return null;
        }
        // Before the informer has listed the node's pods, a missing pod proves nothing.
        if (!index.Synced)
            return options.Value.ResyncInterval;
        var state = _states.GetOrAdd(uid, _ => new PodWorkerState());
        if (!index.WasDeleted(uid))
        {
            var now = time.GetUtcNow();
            state.OrphanSince ??= now;
            var left = state.OrphanSince.Value + options.Value.OrphanGracePeriod - now;
            if (left > TimeSpan.Zero)
                return left;
        }
        await terminator.CleanupOrphanAsync(observed, ct);
        Forget(uid);
        return null;
    }

    private void Forget(string uid)
    {
        _states.TryRemove(uid, out _);
        backoff.ForgetPod(uid);
        statusWriter.Forget(uid);
        index.Forget(uid);
    }

    // ---- terminal pods ------------------------------------------------------------------------------------------

    /// <summary>Succeeded/Failed: nothing runs any more (no restarts whatever the policy), the containers stay.</summary>
    private async Task StopTerminalAsync(JsonObject pod, ObservedPod observed, CancellationToken ct)
    {
        var grace = PodTerminator.GracePeriodOf(pod);
        await Task.WhenAll(observed.Running.Where(c => !c.IsSandbox)
            .Select(c => terminator.StopAsync(pod, c, grace, null, "Stopping container " + c.Name, ct)));
        await terminator.StopSandboxesAsync(observed, ct);
    }

    // ---- pods that should run -----------------------------------------------------------------------------------

    private async Task<TimeSpan?> SyncActiveAsync(JsonObject pod, PodWorkerState state, ObservedPod observed, CancellationToken ct)
    {
        var uid = observed.Uid;
        var waiting = new Dictionary<string, ContainerWaiting>(StringComparer.Ordinal);
        var sync = new SyncPass();
        var policy = RestartPolicyRules.PolicyOf(pod);

        // 5 (first, so the decisions below see a tidy history): old exited containers and dead sandboxes go.
        if (await PruneAsync(observed, ct))
            observed = await observer.ObserveAsync(uid, ct);

        // 1. Volumes.
        var volumeDir = paths.VolumeDirectory(uid);
        var now = time.GetUtcNow();
        if (state.VolumesPreparedAt is null || now - state.VolumesPreparedAt >= options.Value.VolumeRefreshInterval)
        {
            try
            {
                Directory.CreateDirectory(volumeDir);
                await volumes.PrepareAsync(pod, volumeDir, ct);
                state.VolumesPreparedAt = now;
            }
            catch (ContainerConfigException e)
            {
                events.Warning(pod, e.Reason, e.Message);
                if (state.VolumesPreparedAt is null)
                {
                    // Nothing can start without its volumes: every container waits in ContainerCreating.
                    await WriteStatusAsync(pod, observed, null, waiting, ct);
                    return RetryWaiting;
                }
                log.LogWarning("Refreshing the volumes of {Pod} failed: {Message}", PodEvents.Format(pod), e.Message);
            }
        }

        // 2. Sandbox.
        var (sandbox, podIp, sandboxWait) = await EnsureSandboxAsync(pod, observed, policy, ct);
        if (sandbox is null)
        {
            if (sandboxWait is not null)
                foreach (var name in AllContainerNames(pod)) waiting[name] = sandboxWait;
            observed = await observer.ObserveAsync(uid, ct);
            await WriteStatusAsync(pod, observed, null, waiting, ct);
            return sandboxWait is null ? null : RetryWaiting;
        }
        if (sandbox != observed.Sandbox?.Id)
            observed = await observer.ObserveAsync(uid, ct);
        var context = new PodContext(pod, identity.Name, HostIp, podIp, sandbox, volumeDir);

        // 3. Init containers, in order, each to completion.
        var initialized = true;
        foreach (var spec in Specs(pod, "initContainers"))
        {
            var name = spec.Str("name") ?? "";
            var latest = observed.Latest(name);
            var action = RestartPolicyRules.Decide(latest, configs.SpecHash(spec), policy, init: true);
            if (action == ContainerAction.Done && latest!.EffectiveExitCode == 0)
            {
                probes.Untrack(latest.Id);
                continue;
            }
            initialized = false;
            if (action is not (ContainerAction.Done or ContainerAction.Keep))
                await RunAsync(context, spec, PodContainerLabels.InitKind, latest, action, waiting, sync, ct);
            break;
        }

        // 4. App containers.
        if (initialized)
            foreach (var spec in Specs(pod, "containers"))
            {
                var name = spec.Str("name") ?? "";
                var latest = observed.Latest(name);
                if (latest is { State: ObservedContainerState.Running } && state.PendingKills.TryRemove(latest.Id, out var why))
                {
                    await KillUnhealthyAsync(pod, latest, why, podIp, ct);
                    sync.Changed = true;
                    continue;
                }
                var action = RestartPolicyRules.Decide(latest, configs.SpecHash(spec), policy, init: false);
                switch (action)
                {
                    case ContainerAction.Keep:
                        probes.Track(Target(context, spec, latest!));
                        break;
                    case ContainerAction.Done:
                        probes.Untrack(latest!.Id);
                        break;
                    default:
                        await RunAsync(context, spec, PodContainerLabels.AppKind, latest, action, waiting, sync, ct);
                        break;
                }
            }
        foreach (var dead in observed.Containers.Where(c => c.State != ObservedContainerState.Running))
            probes.Untrack(dead.Id);
        foreach (var id in state.PendingKills.Keys.Where(id => observed.Containers.All(c => c.Id != id || c.State != ObservedContainerState.Running)))
            state.PendingKills.TryRemove(id, out _);

        // 6. Status; a pod that has just become Succeeded/Failed stops its sandbox.
        if (sync.Changed)
            observed = await observer.ObserveAsync(uid, ct);
        var phase = await WriteStatusAsync(pod, observed, podIp, waiting, ct);
        if (PodPhaseRules.IsTerminal(phase))
            await StopTerminalAsync(pod, observed, ct);
        return sync.RequeueAfter;
    }

    /// <summary>A mutable tally of one sync pass: whether Docker changed, and the earliest time to look again.</summary>
    private sealed class SyncPass
    {
        public bool Changed { get; set; }

        public TimeSpan? RequeueAfter { get; private set; }

        public void Requeue(TimeSpan after)
        {
            if (RequeueAfter is null || after < RequeueAfter) RequeueAfter = after;
        }
    }

    /// <summary>
    /// The running sandbox (id and pod IP), creating one when there is none. A sandbox that died takes the pod's
    /// network with it: its containers are stopped (restart policy decides what comes back) and a new sandbox with
    /// the next attempt number is made. A pod with nothing left to run gets no new sandbox.
    /// </summary>
    private async Task<(string? Id, string? PodIp, ContainerWaiting? Waiting)> EnsureSandboxAsync(
        JsonObject pod, ObservedPod observed, string policy, CancellationToken ct)
    {
        var current = observed.Sandbox;
        if (current is { State: ObservedContainerState.Running })
        {
            var ip = await SandboxIpAsync(pod, current.Id, ct);
            return (current.Id, ip, null);
        }

        if (current is not null)
        {
            // A sandbox that never started (Docker refused it: a host port in use, say) is simply tried again.
            if (current.StartedAt is not null)
                events.Normal(pod, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
            foreach (var c in observed.Running.Where(c => !c.IsSandbox))
                await terminator.StopAsync(pod, c, TimeSpan.Zero, null, null, ct);
            observed = await observer.ObserveAsync(observed.Uid, ct);
        }
        if (!NeedsToRun(pod, observed, policy))
            return (null, null, null);

        var attempt = current is null ? 0 : current.Attempt + 1;
        try
        {
            var image = await images.EnsureSandboxImageAsync(ct);
            var networkName = IsHostNetwork(pod) ? "host" : await network.EnsureAsync(ct);
            var context = new PodContext(pod, identity.Name, HostIp, null, "", paths.VolumeDirectory(observed.Uid));
            var request = configs.Sandbox(context, networkName, image, attempt);
            AddLabels(request, pod, null);
            var id = await CreateAsync(PodContainerLabels.DockerName(PodContainerLabels.SandboxContainerName, pod.Name()!, pod.Namespace()!, observed.Uid, attempt), request, ct);
            await docker.StartContainerAsync(id, ct);
            if (current is not null) await terminator.RemoveQuietlyAsync(current.Id, ct);
            return (id, await SandboxIpAsync(pod, id, ct), null);
        }
        catch (Exception e) when (e is DockerApiException or ContainerConfigException)
        {
            var message = e is DockerApiException d ? d.DockerMessage : e.Message;
            events.Warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + message);
            return (null, null, new ContainerWaiting("ContainerCreating", "Failed to create pod sandbox: " + message));
        }
    }

    /// <summary>False when every container has finished for good (a Never/OnFailure pod that completed).</summary>
    private bool NeedsToRun(JsonObject pod, ObservedPod observed, string policy)
    {
        foreach (var spec in Specs(pod, "initContainers"))
        {
            var latest = observed.Latest(spec.Str("name") ?? "");
            var action = RestartPolicyRules.Decide(latest, configs.SpecHash(spec), policy, init: true);
            if (action != ContainerAction.Done) return true;
            if (latest!.EffectiveExitCode != 0) return false;
        }
        return Specs(pod, "containers").Any(spec =>
            RestartPolicyRules.Decide(observed.Latest(spec.Str("name") ?? ""), configs.SpecHash(spec), policy, init: false) != ContainerAction.Done);
    }

    private async Task<string?> SandboxIpAsync(JsonObject pod, string sandboxId, CancellationToken ct)
    {
        if (IsHostNetwork(pod)) return HostIp;
        var inspect = await docker.TryInspectContainerAsync(sandboxId, ct);
        var settings = inspect?.NetworkSettings;
        return settings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip))
               ?? (string.IsNullOrEmpty(settings?.IPAddress) ? null : settings.IPAddress);
    }

    private static bool IsHostNetwork(JsonObject pod) => pod["spec"].Bool("hostNetwork") == true;

    private string? PodIpOf(JsonObject pod, string? known) => known ?? pod["status"].Str("podIP");

    /// <summary>
    /// Starts the next run of one container: back-off check (restarts), kill of the old one (spec change), image,
    /// create, start, postStart hook, probes. Whatever stops it is recorded in <paramref name="waiting"/>.
    /// </summary>
    private async Task RunAsync(PodContext context, JsonObject spec, string kind, ObservedContainer? latest,
        ContainerAction action, Dictionary<string, ContainerWaiting> waiting, SyncPass sync, CancellationToken ct)
    {
        var pod = context.Pod;
        var name = spec.Str("name") ?? "";
        var hash = configs.SpecHash(spec);

        if (action == ContainerAction.Restart && latest is not null)
        {
            var key = CrashLoopBackoff.KeyOf(pod.Uid() ?? "", name, hash);
            var exitedAt = latest.FinishedAt ?? time.GetUtcNow();
            if (backoff.IsInBackOff(key, exitedAt, out var current, out var remaining))
            {
                waiting[name] = new ContainerWaiting("CrashLoopBackOff",
                    $"back-off {CrashLoopBackoff.FormatGoDuration(current)} restarting failed container={name} pod={PodEvents.Format(pod)}");
                events.Warning(pod, "BackOff", $"Back-off restarting failed container {name} in pod {PodEvents.Format(pod)}");
                sync.Requeue(remaining);
                return;
            }
            backoff.Next(key, exitedAt);
        }
        if (action == ContainerAction.Replace && latest is not null)
        {
            if (latest.State == ObservedContainerState.Running)
                await terminator.StopAsync(pod, latest, PodTerminator.GracePeriodOf(pod), context.PodIp,
                    $"Container {name} definition changed, will be restarted", ct);
            sync.Changed = true;
        }

        string id;
        if (action == ContainerAction.Start && latest is not null)
            id = latest.Id;
        else
        {
            var image = await PullAsync(pod, spec, ct);
            if (!image.Ready)
            {
                waiting[name] = new ContainerWaiting(image.Reason ?? "ErrImagePull", image.Message);
                sync.Requeue(RetryWaiting);
                return;
            }
            var attempt = latest is null ? 0 : latest.Attempt + 1;
            ContainerCreateRequest request;
            try
            {
                request = await configs.ContainerAsync(context, spec, kind, attempt, ct);
            }
            catch (ContainerConfigException e)
            {
                waiting[name] = new ContainerWaiting(e.Reason, e.Message);
                events.Warning(pod, "Failed", "Error: " + e.Message);
                sync.Requeue(RetryWaiting);
                return;
            }
            AddLabels(request, pod, hash);
            try
            {
                id = await CreateAsync(PodContainerLabels.DockerName(name, pod.Name()!, pod.Namespace()!, pod.Uid()!, attempt), request, ct);
            }
            catch (DockerApiException e)
            {
                waiting[name] = new ContainerWaiting("CreateContainerError", e.DockerMessage);
                events.Warning(pod, "Failed", "Error: " + e.DockerMessage);
                sync.Requeue(RetryWaiting);
                return;
            }
            sync.Changed = true;
            events.Normal(pod, "Created", $"Created container: {name}");
        }

        try
        {
            await docker.StartContainerAsync(id, ct);
        }
        catch (DockerApiException e)
        {
            // Docker keeps the container (created, with the error and exit code): the next sync sees it as a
            // container that could not run, and restart policy and back-off take over. Until then it waits with
            // Docker's message, unless it will never be restarted: then it shows as terminated at once.
            sync.Changed = true;
            var policy = RestartPolicyRules.PolicyOf(pod);
            if (kind == PodContainerLabels.InitKind ? RestartPolicyRules.ShouldRestartInit(policy, 128) : RestartPolicyRules.ShouldRestart(policy, 128))
                waiting[name] = new ContainerWaiting("RunContainerError", e.DockerMessage);
            events.Warning(pod, "Failed", "Error: " + e.DockerMessage);
            sync.Requeue(TimeSpan.FromSeconds(1));
            return;
        }
        sync.Changed = true;
        events.Normal(pod, "Started", $"Started container {name}");

        var inspect = await docker.TryInspectContainerAsync(id, ct);
        var started = ObservedContainer.DockerTime(inspect?.State?.StartedAt) ?? time.GetUtcNow();
        var target = new ContainerProbeTarget(pod.Uid() ?? "", pod, spec, id, context.PodIp, started);
        if (spec["lifecycle"]?["postStart"] is not null)
        {
            var failure = await hooks.RunPostStartAsync(target, ct);
            if (failure is not null)
            {
                events.Warning(pod, "FailedPostStartHook", failure);
                var observedNow = inspect is null ? null : ObservedContainer.FromInspect(inspect);
                if (observedNow is not null)
                    await terminator.StopAsync(pod, observedNow, PodTerminator.GracePeriodOf(pod), context.PodIp,
                        $"FailedPostStartHook", ct);
                return;
            }
        }
        if (kind == PodContainerLabels.AppKind)
            probes.Track(target);
    }

    /// <summary>
    /// The image of a container, through the image manager, with the kubelet's events: Pulled "already present on
    /// machine", or Pulling + Pulled "Successfully pulled … in …", or Failed/BackOff with the reason.
    /// </summary>
    private async Task<ImagePullOutcome> PullAsync(JsonObject pod, JsonObject spec, CancellationToken ct)
    {
        var image = spec.Str("image") ?? "";
        var present = ImageReference.TryParse(image, out var reference, out _)
                      && ImagePullPolicies.Effective(spec.Str("imagePullPolicy"), reference) != ImagePullPolicy.Always
                      && await docker.TryInspectImageAsync(reference.Canonical, ct) is not null;
        var started = time.GetTimestamp();
        var outcome = await images.EnsureImageAsync(pod, spec, ct);
        switch (outcome.Reason)
        {
            case null when present:
                events.Normal(pod, "Pulled", $"Container image \"{image}\" already present on machine");
                break;
            case null:
                events.Normal(pod, "Pulling", $"Pulling image \"{image}\"");
                events.Normal(pod, "Pulled", $"Successfully pulled image \"{image}\" in {time.GetElapsedTime(started).TotalSeconds:0.###}s");
                break;
            case "ErrImagePull":
                events.Normal(pod, "Pulling", $"Pulling image \"{image}\"");
                events.Warning(pod, "Failed", $"Failed to pull image \"{image}\": {outcome.Message}");
                events.Warning(pod, "Failed", "Error: ErrImagePull");
                break;
            case "ImagePullBackOff":
                events.Normal(pod, "BackOff", $"Back-off pulling image \"{image}\"");
                events.Warning(pod, "Failed", "Error: ImagePullBackOff");
                break;
            default:
                events.Warning(pod, outcome.Reason, outcome.Message ?? outcome.Reason);
                break;
        }
        return outcome;
    }

    private async Task KillUnhealthyAsync(JsonObject pod, ObservedContainer container, string message, string? podIp, CancellationToken ct)
    {
        // The failed runs themselves were recorded as Unhealthy events when they happened (PodSyncLoop).
        var probe = message.StartsWith("Startup", StringComparison.OrdinalIgnoreCase) ? "startup" : "liveness";
        log.LogInformation("Container {Container} of {Pod} failed its {Probe} probe: {Message}", container.Name, PodEvents.Format(pod), probe, message);
        await terminator.StopAsync(pod, container, PodTerminator.GracePeriodOf(pod), podIp,
            $"Container {container.Name} failed {probe} probe, will be restarted", ct);
    }

    /// <summary>
    /// Creates a container by its dockershim name. A name already taken is a leftover of an attempt that did not
    /// get as far as being recorded (the agent stopped in between): it is removed and the create repeated once.
    /// </summary>
    private async Task<string> CreateAsync(string name, ContainerCreateRequest request, CancellationToken ct)
    {
        try
        {
            return await docker.CreateContainerAsync(name, request, ct);
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
            await terminator.RemoveQuietlyAsync(name, ct);
            return await docker.CreateContainerAsync(name, request, ct);
        }
    }

    private void AddLabels(ContainerCreateRequest request, JsonObject pod, string? specHash)
    {
        var labels = request.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        // The factory sets the pod's labels; these are the caller's part (PodContainerLabels.For), re-asserted so
        // that reaping can never miss a container we made.
        labels[PodContainerLabels.Managed] = "true";
        labels[PodContainerLabels.Node] = identity.Name;
        labels[PodContainerLabels.PodUid] = pod.Uid() ?? "";
        if (specHash is not null) labels[PodContainerLabels.SpecHash] = specHash;
        labels[PodContainerLabels.GracePeriod] = ((long)PodTerminator.GracePeriodOf(pod).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Keeps per container name the newest container and the newest exited one before it (lastState, and what
    /// <c>kubectl logs --previous</c> reads); older ones and sandboxes other than the newest are removed.
    /// </summary>
    /// <summary>
    /// Removes old exited containers and dead sandboxes. Best effort: Docker may refuse to remove one (a layer still
    /// mounted somewhere after a daemon restart: "device or resource busy"), and a leftover must never keep the pod
    /// from being brought back — it is logged once and tried again on later syncs.
    /// </summary>
    private async Task<bool> PruneAsync(ObservedPod observed, CancellationToken ct)
    {
        var removed = false;
        foreach (var c in PodContainerPruning.Superfluous(observed))
        {
            try
            {
                await terminator.RemoveQuietlyAsync(c.Id, ct);
                removed = true;
                _unremovable.TryRemove(c.Id, out _);
            }
            catch (DockerApiException e)
            {
                if (_unremovable.TryAdd(c.Id, 0))
                    log.LogWarning("Could not remove old container {Id} of pod uid {Uid} (will retry): {Message}", c.Id[..Math.Min(12, c.Id.Length)], observed.Uid, e.Message);
            }
        }
        return removed;
    }

    private async Task<string> WriteStatusAsync(JsonObject pod, ObservedPod observed, string? podIp,
        IReadOnlyDictionary<string, ContainerWaiting> waiting, CancellationToken ct)
    {
        var imageRefs = await observer.ImageRefsAsync(observed, ct);
        var now = time.GetUtcNow();
        string phase = pod["status"].Str("phase") ?? PodPhaseRules.Pending;
        await statusWriter.WriteAsync(pod, current =>
        {
            var status = PodStatusBuilder.Build(new PodStatusInput(current, observed, podIp, HostIp, now, waiting,
                probes.IsReady, probes.IsStarted, imageRefs));
            phase = status.Str("phase") ?? phase;
            return status;
        }, ct);
        return phase;
    }

    private static ContainerProbeTarget Target(PodContext context, JsonObject spec, ObservedContainer c) =>
        new(context.Pod.Uid() ?? "", context.Pod, spec, c.Id, context.PodIp, c.StartedAt ?? c.CreatedAt ?? DateTimeOffset.UnixEpoch);

    private static List<JsonObject> Specs(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static IEnumerable<string> AllContainerNames(JsonObject pod) =>
        Specs(pod, "initContainers").Concat(Specs(pod, "containers")).Select(c => c.Str("name") ?? "");
}
