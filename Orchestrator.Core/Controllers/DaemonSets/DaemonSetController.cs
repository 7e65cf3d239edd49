using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>
/// apps/v1 DaemonSets: exactly one pod on every eligible node. Each sync, for one DaemonSet:
/// <list type="number">
/// <item>make sure a ControllerRevision holds the current template and trim old ones (revisionHistoryLimit);</item>
/// <item>if the pod cache has caught up with our own writes: per node, create the missing pod (pinned through node
///   affinity, bound by the scheduler), delete failed pods, extra pods and pods on nodes that may no longer run one;</item>
/// <item>RollingUpdate: delete pods of an older template, old unavailable ones first, then available ones while fewer
///   than maxUnavailable nodes lack an available pod (their replacements come on the next sync); with maxSurge, start
///   the new pod beside the old one and delete the old one once the new one is available; OnDelete waits for the
///   user to delete them;</item>
/// <item>write the status counts when they differ.</item>
/// </list>
/// </summary>
public sealed class DaemonSetController : QueueController
{
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _daemonSets;
    private readonly Informer _pods;
    private readonly Informer _nodes;
    private readonly Informer _revisions;
    private readonly PodExpectations _expectations;

    public DaemonSetController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<DaemonSetController> log)
        : base("daemonset-controller", time, log)
    {
        _client = client;
        _events = events;
        _expectations = new PodExpectations(time);
        _daemonSets = informers.For(Kinds.DaemonSet);
        _pods = informers.For(Kinds.Pod);
        _nodes = informers.For(Kinds.Node);
        _revisions = informers.For(Kinds.ControllerRevision);

        _daemonSets.AddHandler(InformerHandler.Any(ds => Queue.Add(Informer.KeyOf(ds))));
        _pods.AddHandler(new InformerHandler(
            onAdd: EnqueuePodOwner,
            onUpdate: (o, n) =>
            {
                // A pod released by a relabel or an ownerReference change matters to its old owner as well.
                if (!JsonNode.DeepEquals(o["metadata"]?["labels"], n["metadata"]?["labels"]) ||
                    !JsonNode.DeepEquals(o["metadata"]?["ownerReferences"], n["metadata"]?["ownerReferences"]))
                    EnqueuePodOwner(o);
                EnqueuePodOwner(n);
            },
            onDelete: EnqueuePodOwner));
        _revisions.AddHandler(InformerHandler.Any(EnqueueOwner));
        _nodes.AddHandler(new InformerHandler(
            onAdd: _ => EnqueueAll(),
            onUpdate: (o, n) =>
            {
                if (NodeChanged(o, n)) EnqueueAll();
            },
            onDelete: _ => EnqueueAll()));
    }

    protected override IEnumerable<Informer> Informers => [_daemonSets, _pods, _nodes, _revisions];

    private void EnqueueOwner(JsonObject obj)
    {
        if (OwnerReferences.ControllerOf(obj) is { } owner && owner.Str("kind") == "DaemonSet" && owner.Str("name") is { } name)
            Queue.Add(Informer.KeyOf(obj.Namespace(), name));
    }

    private void EnqueuePodOwner(JsonObject pod)
    {
        if (OwnerReferences.ControllerOf(pod) != null)
        {
            EnqueueOwner(pod);
            return;
        }
        // An orphan pod (its DaemonSet deleted with --cascade=orphan, say) may be adopted by a DaemonSet selecting it.
        if (PodStatus.IsTerminating(pod)) return;
        foreach (var ds in _daemonSets.List(pod.Namespace()))
            if (LabelSelector.FromJson(ds["spec"]?["selector"]).Matches(pod.Labels()))
                Queue.Add(Informer.KeyOf(ds));
    }

    /// <summary>
    /// The pods this DaemonSet controls after adopting matching orphans and releasing owned pods whose labels no
    /// longer match its selector (as upstream's ControllerRefManager). Writes are PUTs at the cached
    /// resourceVersion, so a pod changed meanwhile is left for the next sync.
    /// </summary>
    private async Task<List<JsonObject>> ClaimPodsAsync(JsonObject ds, CancellationToken ct)
    {
        var selector = LabelSelector.FromJson(ds["spec"]?["selector"]);
        var owned = new List<JsonObject>();
        foreach (var pod in _pods.List(ds.Namespace()))
        {
            var controller = OwnerReferences.ControllerOf(pod);
            var matches = selector.Matches(pod.Labels());
            if (controller != null && controller.Str("uid") != ds.Uid()) continue;
            if (controller != null && matches)
            {
                owned.Add(pod);
                continue;
            }
            if (PodStatus.IsTerminating(pod) || (controller == null && !matches)) continue;
            var copy = pod.Clone();
            var refs = new JsonArray(OwnerReferences.All(pod).Where(r => r.Str("uid") != ds.Uid()).Select(r => (JsonNode)r.DeepClone()).ToArray());
            if (controller == null) refs.Add(OwnerReferences.NewControllerRef(ds));
            copy.Metadata()["ownerReferences"] = refs;
            try
            {
                var written = await _client.UpdateAsync(Kinds.Pod, copy, ct);
                if (controller == null) owned.Add(written);
            }
            catch (ApiException e) when (e.Code is 404 or 409 or 422)
            {
            }
        }
        return owned;
    }

    private void EnqueueAll()
    {
        foreach (var ds in _daemonSets.List()) Queue.Add(Informer.KeyOf(ds));
    }

    /// <summary>Only what eligibility reads: labels, taints, readiness.</summary>
    private static bool NodeChanged(JsonObject oldNode, JsonObject newNode) =>
        !JsonNode.DeepEquals(oldNode["metadata"]?["labels"], newNode["metadata"]?["labels"]) ||
        !JsonNode.DeepEquals(oldNode["spec"]?["taints"], newNode["spec"]?["taints"]) ||
        NodeEligibility.IsReady(oldNode) != NodeEligibility.IsReady(newNode);

    /// <summary>One node's share of the plan, read from the caches at the start of a sync.</summary>
    private sealed record NodeState(string Name, bool ShouldRun, bool ShouldContinueRunning, List<JsonObject> Running, List<JsonObject> Finished, bool HasTerminating)
    {
        public bool Wanted => ShouldRun || (ShouldContinueRunning && Running.Count > 0);
    }

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_daemonSets.Get(key) is not { } ds)
        {
            _expectations.Forget(key);
            return;
        }
        if (PodStatus.IsTerminating(ds)) return;
        var template = ds["spec"]?["template"] as JsonObject ?? new JsonObject();
        var ownedPods = await ClaimPodsAsync(ds, ct);

        var hash = await SyncRevisionsAsync(ds, template, ownedPods, ct);

        var podSpec = (JsonObject)(template["spec"]?.DeepClone() ?? new JsonObject());
        DaemonPods.AddDefaultTolerations(podSpec);
        var byNode = ownedPods.GroupBy(p => DaemonPods.TargetNode(p) ?? "").ToDictionary(g => g.Key, g => g.ToList());
        var nodes = _nodes.List().OrderBy(n => n.Name(), StringComparer.Ordinal).Select(node =>
        {
            var (run, keep) = NodeEligibility.Evaluate(node, podSpec);
            var pods = byNode.GetValueOrDefault(node.Name() ?? "") ?? [];
            return new NodeState(node.Name() ?? "", run, keep,
                pods.Where(PodStatus.IsActive).ToList(),
                pods.Where(p => !PodStatus.IsTerminating(p) && !PodStatus.IsActive(p)).ToList(),
                pods.Any(PodStatus.IsTerminating));
        }).ToList();

        if (_expectations.Satisfied(key, _pods))
        {
            var knownNodes = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            var toDelete = new List<JsonObject>();
            var toCreate = new List<string>();
            var surging = IsRollingUpdate(ds) && MaxSurge(ds, nodes.Count(n => n.Wanted)) > 0;
            foreach (var node in nodes)
            {
                // Failed (or, oddly, succeeded) daemon pods are replaced: delete now, create on the next sync.
                toDelete.AddRange(node.Finished);
                if (!node.ShouldContinueRunning)
                    toDelete.AddRange(node.Running);
                else if (node.Running.Count > 1)
                    toDelete.AddRange(Extras(node.Running, hash, surging));
                else if (node.ShouldRun && node.Running.Count == 0 && node.Finished.Count == 0 && !node.HasTerminating)
                    toCreate.Add(node.Name);
            }
            // Pods meant for nodes that no longer exist have nowhere to run; nor do adopted pods meant for no node.
            foreach (var (nodeName, pods) in byNode)
                if (!knownNodes.Contains(nodeName))
                    toDelete.AddRange(pods.Where(p => !PodStatus.IsTerminating(p)));

            if (toDelete.Count == 0 && toCreate.Count == 0 && IsRollingUpdate(ds))
            {
                if (surging) SurgeUpdate(ds, hash, nodes, toCreate, toDelete);
                else toDelete.AddRange(RollingUpdateDeletions(ds, hash, nodes));
            }

            foreach (var nodeName in toCreate) await CreatePodAsync(key, ds, template, hash, nodeName, ct);
            foreach (var pod in toDelete) await DeletePodAsync(key, ds, pod, ct);
        }

        await UpdateStatusAsync(key, ds, hash, nodes, ct);
    }

    private static bool IsRollingUpdate(JsonObject ds) =>
        (ds["spec"]?["updateStrategy"].Str("type") ?? "RollingUpdate") == "RollingUpdate";

    /// <summary>
    /// Old-template pods to delete now. Nodes without an available pod (missing, starting, or old and broken)
    /// already count as unavailable; old unavailable pods go at once, old available ones only while the count of
    /// unavailable nodes stays within maxUnavailable (maxSurge 0: replacement is delete-then-create).
    /// </summary>
    private List<JsonObject> RollingUpdateDeletions(JsonObject ds, string hash, List<NodeState> nodes)
    {
        var now = Time.GetUtcNow();
        var minReady = ds["spec"].Long("minReadySeconds") ?? 0;
        var wanted = nodes.Where(n => n.Wanted).ToList();
        var rolling = ds["spec"]?["updateStrategy"]?["rollingUpdate"];
        var maxUnavailable = IntOrPercent.Scaled(rolling?["maxUnavailable"], wanted.Count, roundUp: true, fallback: 1);
        if (maxUnavailable < 1) maxUnavailable = 1;

        var unavailable = wanted.Count(n => !n.Running.Any(p => PodStatus.IsAvailable(p, minReady, now)));
        var result = new List<JsonObject>();
        var availableOld = new List<JsonObject>();
        foreach (var node in wanted)
        {
            foreach (var pod in node.Running.Where(p => p.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel) != hash))
            {
                if (PodStatus.IsAvailable(pod, minReady, now)) availableOld.Add(pod);
                else result.Add(pod);
            }
        }
        foreach (var pod in availableOld)
        {
            if (unavailable >= maxUnavailable) break;
            result.Add(pod);
            unavailable++;
        }
        return result;
    }

    private static int MaxSurge(JsonObject ds, int desired) =>
        IntOrPercent.Scaled(ds["spec"]?["updateStrategy"]?["rollingUpdate"]?["maxSurge"], desired, roundUp: true, fallback: 0);

    /// <summary>
    /// Pods beyond one per node. While surging a node may hold one pod of the current template next to one older pod;
    /// otherwise one pod stays. Ready pods and older pods are kept first.
    /// </summary>
    private static IEnumerable<JsonObject> Extras(List<JsonObject> running, string hash, bool surging)
    {
        var ordered = running.OrderByDescending(PodStatus.IsReady).ThenBy(PodStatus.CreationTime).ToList();
        if (!surging) return ordered.Skip(1);
        var current = ordered.Where(p => IsCurrent(p, hash)).ToList();
        var old = ordered.Where(p => !IsCurrent(p, hash)).ToList();
        return current.Skip(1).Concat(old.Skip(1));
    }

    private static bool IsCurrent(JsonObject pod, string hash) => pod.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel) == hash;

    /// <summary>
    /// RollingUpdate with maxSurge: the new pod starts next to the old one, which goes once the new one is available.
    /// A node whose old pod is unavailable gets its new pod at once; nodes with an available old pod start theirs
    /// while fewer than maxSurge nodes are mid-surge.
    /// </summary>
    private void SurgeUpdate(JsonObject ds, string hash, List<NodeState> nodes, List<string> toCreate, List<JsonObject> toDelete)
    {
        var now = Time.GetUtcNow();
        var minReady = ds["spec"].Long("minReadySeconds") ?? 0;
        var wanted = nodes.Where(n => n.Wanted && n.Running.Count > 0).ToList();
        var maxSurge = MaxSurge(ds, nodes.Count(n => n.Wanted));
        var candidates = new List<string>();
        var inFlight = 0;
        foreach (var node in wanted)
        {
            var current = node.Running.Where(p => IsCurrent(p, hash)).ToList();
            var old = node.Running.Where(p => !IsCurrent(p, hash)).ToList();
            if (old.Count == 0) continue;
            if (current.Count > 0)
            {
                if (current.Any(p => PodStatus.IsAvailable(p, minReady, now))) toDelete.AddRange(old);
                else inFlight++;
                continue;
            }
            if (!node.ShouldRun) continue; // no new pods on a node that only keeps what it has
            if (old.Any(p => PodStatus.IsAvailable(p, minReady, now))) candidates.Add(node.Name);
            else toCreate.Add(node.Name);
        }
        toCreate.AddRange(candidates.Take(Math.Max(0, maxSurge - inFlight)));
    }

    private async Task CreatePodAsync(string key, JsonObject ds, JsonObject template, string hash, string nodeName, CancellationToken ct)
    {
        var labels = new Dictionary<string, string>
        {
            [DaemonPods.RevisionHashLabel] = hash,
            [DaemonPods.TemplateGenerationLabel] = (ds["metadata"].Long("generation") ?? 1).ToString(CultureInfo.InvariantCulture),
        };
        var pod = PodTemplates.NewPod(template, ds, PodTemplates.GenerateNamePrefix(ds.Name() ?? ""), labels);
        var spec = (JsonObject)pod["spec"]!;
        DaemonPods.AddDefaultTolerations(spec);
        DaemonPods.PinToNode(spec, nodeName);
        try
        {
            var created = await _client.CreateAsync(Kinds.Pod, ds.Namespace(), pod, ct);
            _expectations.ExpectCreated(key, ds.Namespace() ?? "", created.Name() ?? "");
            await _events.RecordAsync(ds, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {created.Name()}", ct);
        }
        catch (ApiException e)
        {
            await _events.RecordAsync(ds, EventRecorder.Warning, "FailedCreate", $"Error creating: {e.Message}", ct);
            throw;
        }
    }

    private async Task DeletePodAsync(string key, JsonObject ds, JsonObject pod, CancellationToken ct)
    {
        try
        {
            await _client.DeleteAsync(Kinds.Pod, pod.Namespace(), pod.Name() ?? "", new DeleteRequest(PreconditionUid: pod.Uid()), ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            return;
        }
        _expectations.ExpectDeleted(key, pod.Namespace() ?? "", pod.Name() ?? "", pod.Uid() ?? "");
        await _events.RecordAsync(ds, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Name()}", ct);
    }

    /// <summary>
    /// Ensures the revision for the current template exists and is the newest (re-numbering an old one when the
    /// template went back to it, as after <c>rollout undo</c>), deletes unused old revisions beyond the history
    /// limit, and returns the current template hash.
    /// </summary>
    private async Task<string> SyncRevisionsAsync(JsonObject ds, JsonObject template, List<JsonObject> pods, CancellationToken ct)
    {
        var collisions = ds["status"].Long("collisionCount") ?? 0;
        var hash = ControllerRevisions.Hash(template, collisions);
        var owned = _revisions.List(ds.Namespace()).Where(r => OwnerReferences.IsControlledBy(r, ds)).ToList();
        var maxRevision = owned.Select(r => r.Long("revision") ?? 0).DefaultIfEmpty(0).Max();
        var current = owned.FirstOrDefault(r => r.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel) == hash &&
                                                JsonNode.DeepEquals(ControllerRevisions.TemplateOf(r), template));
        if (current == null)
        {
            var revision = ControllerRevisions.NewRevision(ds, template, hash, maxRevision + 1);
            if (ds.Annotations().TryGetValue("kubernetes.io/change-cause", out var cause))
                revision.Obj("metadata").Obj("annotations")["kubernetes.io/change-cause"] = cause;
            try
            {
                current = await _client.CreateAsync(Kinds.ControllerRevision, ds.Namespace(), revision, ct);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Ours but not yet in the cache: fine. Someone else's (or another template) under our name: a hash
                // collision, which upstream resolves by bumping status.collisionCount and hashing again.
                var existing = await _client.GetAsync(Kinds.ControllerRevision, ds.Namespace(), revision.Name() ?? "", ct);
                if (existing != null && OwnerReferences.IsControlledBy(existing, ds) &&
                    JsonNode.DeepEquals(ControllerRevisions.TemplateOf(existing), template))
                    current = existing;
                else
                {
                    var bumped = ds.Clone();
                    bumped.Obj("status")["collisionCount"] = collisions + 1;
                    await _client.UpdateStatusAsync(Kinds.DaemonSet, bumped, ct);
                    throw new InvalidOperationException($"controller revision {revision.Name()} collides; retrying with a new hash");
                }
            }
        }
        else if ((current.Long("revision") ?? 0) < maxRevision)
        {
            var renumbered = current.Clone();
            renumbered["revision"] = maxRevision + 1;
            current = await _client.UpdateAsync(Kinds.ControllerRevision, renumbered, ct);
        }

        var limit = ds["spec"].Long("revisionHistoryLimit") ?? 10;
        var inUse = pods.Select(p => p.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel)).ToHashSet();
        var old = owned.Where(r => r.Name() != current.Name() && !inUse.Contains(r.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel)))
            .OrderBy(r => r.Long("revision") ?? 0).ToList();
        foreach (var r in old.Take(Math.Max(0, old.Count - (int)limit)))
        {
            try
            {
                await _client.DeleteAsync(Kinds.ControllerRevision, r.Namespace(), r.Name() ?? "", new DeleteRequest(PreconditionUid: r.Uid()), ct);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
            }
        }
        return hash;
    }

    private async Task UpdateStatusAsync(string key, JsonObject ds, string hash, List<NodeState> nodes, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var minReady = ds["spec"].Long("minReadySeconds") ?? 0;
        var wanted = nodes.Where(n => n.Wanted).ToList();
        var scheduled = wanted.Where(n => n.Running.Count > 0).ToList();
        var ready = scheduled.Count(n => n.Running.Any(PodStatus.IsReady));
        var available = scheduled.Count(n => n.Running.Any(p => PodStatus.IsAvailable(p, minReady, now)));
        var updated = scheduled.Count(n => n.Running.Any(p => p.Labels().GetValueOrDefault(DaemonPods.RevisionHashLabel) == hash));
        var misscheduled = nodes.Count(n => !n.ShouldContinueRunning && n.Running.Count > 0);

        var status = ds["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        status["desiredNumberScheduled"] = wanted.Count;
        status["currentNumberScheduled"] = scheduled.Count;
        status["numberMisscheduled"] = misscheduled;
        status["numberReady"] = ready;
        status["numberAvailable"] = available;
        status["numberUnavailable"] = wanted.Count - available;
        status["updatedNumberScheduled"] = updated;
        status["observedGeneration"] = ds["metadata"].Long("generation") ?? 0;
        // Upstream omits zero counts that are optional (omitempty); kubectl reads them as 0 either way.
        foreach (var optional in new[] { "numberAvailable", "numberUnavailable", "updatedNumberScheduled" })
            if (status.Long(optional) == 0) status.Remove(optional);

        if (ready > available && minReady > 0) Queue.AddAfter(key, TimeSpan.FromSeconds(1));
        if (JsonNode.DeepEquals(status, ds["status"])) return;
        var copy = ds.Clone();
        copy["status"] = status;
        await _client.UpdateStatusAsync(Kinds.DaemonSet, copy, ct);
    }
}
