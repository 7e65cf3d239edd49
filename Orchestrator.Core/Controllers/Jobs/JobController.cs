using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.DaemonSets;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Jobs;

/// <summary>
/// batch/v1 Jobs: run pods until enough succeed, or give up. Each sync, for one unfinished Job:
/// <list type="number">
/// <item>count its pods: active (not finished, not being deleted), succeeded, failed; with restartPolicy OnFailure
///   the container restarts of active pods count toward the backoff limit too;</item>
/// <item>failed beyond backoffLimit, or active longer than activeDeadlineSeconds → delete active pods, condition
///   Failed (BackoffLimitExceeded / DeadlineExceeded);</item>
/// <item>enough succeeded (completions; every index for Indexed; with no completions, one success and nothing
///   left running) → condition Complete and completionTime;</item>
/// <item>suspended → delete active pods, condition Suspended; else create or delete pods toward the wanted
///   number of active pods (parallelism, capped by the completions still missing), replacing failed pods only
///   after the failure back-off (<see cref="PodFailureBackoff"/>);</item>
/// <item>write status when it differs; requeue at the active deadline.</item>
/// </list>
/// Finished pods are kept (the counts are read from them; upstream's tracking finalizers are not used), and the
/// succeeded/failed counts never go down, so deleting a finished pod by hand does not undo progress.
/// </summary>
public sealed class JobController : QueueController
{
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _jobs;
    private readonly Informer _pods;
    private readonly PodExpectations _expectations;

    public JobController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<JobController> log)
        : base("job-controller", time, log)
    {
        _client = client;
        _events = events;
        _expectations = new PodExpectations(time);
        _jobs = informers.For(Kinds.Job);
        _pods = informers.For(Kinds.Pod);
        _jobs.AddHandler(InformerHandler.Any(job => Queue.Add(Informer.KeyOf(job))));
        _pods.AddHandler(InformerHandler.Any(pod =>
        {
            if (OwnerReferences.ControllerOf(pod) is { } owner && owner.Str("kind") == "Job" && owner.Str("name") is { } name)
                Queue.Add(Informer.KeyOf(pod.Namespace(), name));
        }));
    }

    protected override IEnumerable<Informer> Informers => [_jobs, _pods];

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_jobs.Get(key) is not { } job)
        {
            _expectations.Forget(key);
            return;
        }
        if (PodStatus.IsTerminating(job) || JobStatus.FinishedAs(job) != null) return;
        if (!_expectations.Satisfied(key, _pods)) return; // the informer event for our own write re-queues the Job

        var now = Time.GetUtcNow();
        var spec = job["spec"] as JsonObject ?? new JsonObject();
        var status = job["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        var pods = _pods.List(job.Namespace()).Where(p => OwnerReferences.IsControlledBy(p, job)).ToList();
        var active = pods.Where(PodStatus.IsActive).ToList();
        var indexed = spec.Str("completionMode") == "Indexed";
        var completions = spec.Long("completions");
        var parallelism = (int)(spec.Long("parallelism") ?? 1);
        var backoffLimit = spec.Long("backoffLimit") ?? 6;
        var suspended = spec.Bool("suspend") == true;

        var succeeded = Math.Max(status.Long("succeeded") ?? 0, pods.Count(p => PodStatus.Phase(p) == "Succeeded"));
        var failed = Math.Max(status.Long("failed") ?? 0, pods.Count(p => PodStatus.Phase(p) == "Failed"));
        var completed = JobStatus.ParseIndexes(status.Str("completedIndexes"));
        if (indexed)
            foreach (var p in pods.Where(p => PodStatus.Phase(p) == "Succeeded"))
                if (JobStatus.IndexOf(p) is { } i && i < completions) completed.Add(i);

        // Suspension and resumption move startTime: the active deadline counts only running time since the last resume.
        var wasSuspended = JobStatus.IsTrue(job, JobStatus.Suspended);
        string? transitionEvent = null;
        if (suspended && !wasSuspended)
        {
            JobStatus.SetCondition(status, JobStatus.Suspended, "True", "JobSuspended", "Job suspended", now);
            transitionEvent = "Suspended";
        }
        else if (!suspended && wasSuspended)
        {
            JobStatus.SetCondition(status, JobStatus.Suspended, "False", "JobResumed", "Job resumed", now);
            status["startTime"] = KubeTime.Format(now);
            transitionEvent = "Resumed";
        }
        if (!suspended && status["startTime"] is null) status["startTime"] = KubeTime.Format(now);
        var startTime = KubeTime.Parse(status.Str("startTime"));

        // 1. Failure: too many failures, or past the deadline.
        string? failReason = null, failMessage = null;
        if (failed > backoffLimit || PastBackoffLimitOnFailure(spec, active, backoffLimit))
            (failReason, failMessage) = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        else if (!suspended && spec.Long("activeDeadlineSeconds") is { } deadline && startTime is { } started &&
                 now >= started.AddSeconds(deadline))
            (failReason, failMessage) = ("DeadlineExceeded", "Job was active longer than specified deadline");

        // 2. Success.
        var complete = failReason == null && (indexed
            ? completions is { } c1 && completed.Count >= c1
            : completions is { } c2 ? succeeded >= c2 : succeeded > 0 && active.Count == 0);

        var deleted = 0;
        var created = 0;
        if (failReason != null || complete || suspended)
        {
            foreach (var pod in active) deleted += await DeletePodAsync(key, job, pod, ct);
        }
        else if (indexed)
        {
            (created, deleted) = await ManageIndexedAsync(key, job, pods, active, completed, (int)(completions ?? 0), parallelism, ct);
        }
        else
        {
            var want = completions is { } total
                ? (int)Math.Clamp(total - succeeded, 0, parallelism)
                : succeeded > 0 ? active.Count : parallelism;
            if (active.Count > want)
                foreach (var pod in active.OrderBy(PodStatus.IsReady).ThenByDescending(PodStatus.CreationTime).Take(active.Count - want))
                    deleted += await DeletePodAsync(key, job, pod, ct);
            if (active.Count < want && PodFailureBackoff.Remaining(pods, now) is { } wait)
                Queue.AddAfter(key, wait);
            else
                for (var i = active.Count; i < want; i++)
                    created += await CreatePodAsync(key, job, null, ct);
        }

        var activeNow = failReason != null || complete || suspended ? 0 : active.Count + created - deleted;
        SetCount(status, "active", activeNow);
        SetCount(status, "succeeded", succeeded);
        SetCount(status, "failed", failed);
        status["ready"] = failReason != null || complete || suspended ? 0 : active.Count(PodStatus.IsReady);
        if (indexed)
        {
            var text = JobStatus.FormatIndexes(completed);
            if (text.Length > 0) status["completedIndexes"] = text;
            else status.Remove("completedIndexes");
        }
        if (failReason != null) JobStatus.SetCondition(status, JobStatus.Failed, "True", failReason, failMessage!, now);
        if (complete)
        {
            JobStatus.SetCondition(status, JobStatus.Complete, "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
            status["completionTime"] = KubeTime.Format(now);
        }

        if (!JsonNode.DeepEquals(status, job["status"]))
        {
            var copy = job.Clone();
            copy["status"] = status;
            await _client.UpdateStatusAsync(Kinds.Job, copy, ct);
        }

        if (transitionEvent != null)
            await _events.RecordAsync(job, EventRecorder.Normal, transitionEvent, $"Job {transitionEvent.ToLowerInvariant()}", ct);
        if (failReason != null) await _events.RecordAsync(job, EventRecorder.Warning, failReason, failMessage!, ct);
        if (complete) await _events.RecordAsync(job, EventRecorder.Normal, "Completed", "Job completed", ct);

        if (failReason == null && !complete && !suspended && spec.Long("activeDeadlineSeconds") is { } ads && startTime is { } st)
            Queue.AddAfter(key, st.AddSeconds(ads) - now);
    }

    private static void SetCount(JsonObject status, string field, long value)
    {
        // Upstream omits zero counts (omitempty).
        if (value == 0) status.Remove(field);
        else status[field] = value;
    }

    /// <summary>
    /// With restartPolicy OnFailure a failing container restarts inside its pod, which never fails; upstream counts
    /// those restarts instead: the Job fails once the active pods' restarts reach the backoff limit.
    /// </summary>
    private static bool PastBackoffLimitOnFailure(JsonObject spec, List<JsonObject> active, long backoffLimit)
    {
        if (spec["template"]?["spec"].Str("restartPolicy") != "OnFailure") return false;
        long restarts = 0;
        foreach (var pod in active)
            foreach (var field in new[] { "initContainerStatuses", "containerStatuses" })
                foreach (var cs in (pod["status"]?[field] as JsonArray)?.OfType<JsonObject>() ?? [])
                    restarts += cs.Long("restartCount") ?? 0;
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /// <summary>
    /// Indexed mode: one active pod per missing index. Pods for an index already completed, out of range or held by
    /// an older pod are deleted; the lowest missing indexes get new pods, up to parallelism.
    /// </summary>
    private async Task<(int Created, int Deleted)> ManageIndexedAsync(string key, JsonObject job, List<JsonObject> pods, List<JsonObject> active,
        SortedSet<int> completed, int completions, int parallelism, CancellationToken ct)
    {
        int created = 0, deleted = 0;
        var held = new HashSet<int>();
        foreach (var pod in active.OrderBy(PodStatus.CreationTime))
        {
            var index = JobStatus.IndexOf(pod);
            if (index is not { } i || i >= completions || completed.Contains(i) || !held.Add(i))
                deleted += await DeletePodAsync(key, job, pod, ct);
        }
        var room = parallelism - (active.Count - deleted);
        var now = Time.GetUtcNow();
        var byIndex = pods.Where(p => JobStatus.IndexOf(p) != null).ToLookup(p => JobStatus.IndexOf(p)!.Value);
        TimeSpan? soonest = null;
        foreach (var i in Enumerable.Range(0, completions).Where(i => !completed.Contains(i) && !held.Contains(i)))
        {
            if (room <= 0) break;
            // Each index backs off on its own failures.
            if (PodFailureBackoff.Remaining(byIndex[i], now) is { } wait)
            {
                soonest = soonest is { } s && s < wait ? s : wait;
                continue;
            }
            created += await CreatePodAsync(key, job, i, ct);
            room--;
        }
        if (soonest is { } delay) Queue.AddAfter(key, delay);
        return (created, deleted);
    }

    private async Task<int> CreatePodAsync(string key, JsonObject job, int? index, CancellationToken ct)
    {
        var template = job["spec"]?["template"] as JsonObject ?? new JsonObject();
        var prefix = index is { } i ? $"{job.Name()}-{i.ToString(CultureInfo.InvariantCulture)}-" : $"{job.Name()}-";
        var pod = PodTemplates.NewPod(template, job, PodTemplates.GenerateNamePrefix(prefix[..^1]));
        if (index is { } idx) MarkIndex(pod, job, idx);
        try
        {
            var created = await _client.CreateAsync(Kinds.Pod, job.Namespace(), pod, ct);
            _expectations.ExpectCreated(key, job.Namespace() ?? "", created.Name() ?? "");
            await _events.RecordAsync(job, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {created.Name()}", ct);
            return 1;
        }
        catch (ApiException e)
        {
            await _events.RecordAsync(job, EventRecorder.Warning, "FailedCreate", $"Error creating: {e.Message}", ct);
            throw;
        }
    }

    /// <summary>The completion index as annotation and label, JOB_COMPLETION_INDEX in every container, and a stable hostname.</summary>
    private static void MarkIndex(JsonObject pod, JsonObject job, int index)
    {
        var text = index.ToString(CultureInfo.InvariantCulture);
        var meta = pod.Metadata();
        meta.Obj("annotations")[JobStatus.CompletionIndexAnnotation] = text;
        meta.Obj("labels")[JobStatus.CompletionIndexAnnotation] = text;
        var spec = pod.Obj("spec");
        if (string.IsNullOrEmpty(spec.Str("hostname"))) spec["hostname"] = $"{job.Name()}-{text}";
        foreach (var field in new[] { "initContainers", "containers" })
            foreach (var container in (spec[field] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var env = container["env"] as JsonArray ?? new JsonArray();
                container["env"] = env;
                if (env.OfType<JsonObject>().Any(e => e.Str("name") == "JOB_COMPLETION_INDEX")) continue;
                env.Add(new JsonObject
                {
                    ["name"] = "JOB_COMPLETION_INDEX",
                    ["valueFrom"] = new JsonObject
                    {
                        ["fieldRef"] = new JsonObject
                        {
                            ["apiVersion"] = "v1",
                            ["fieldPath"] = $"metadata.annotations['{JobStatus.CompletionIndexAnnotation}']",
                        },
                    },
                });
            }
    }

    private async Task<int> DeletePodAsync(string key, JsonObject job, JsonObject pod, CancellationToken ct)
    {
        try
        {
            await _client.DeleteAsync(Kinds.Pod, pod.Namespace(), pod.Name() ?? "", new DeleteRequest(PreconditionUid: pod.Uid()), ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            return 0;
        }
        _expectations.ExpectDeleted(key, pod.Namespace() ?? "", pod.Name() ?? "", pod.Uid() ?? "");
        await _events.RecordAsync(job, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Name()}", ct);
        return 1;
    }
}
