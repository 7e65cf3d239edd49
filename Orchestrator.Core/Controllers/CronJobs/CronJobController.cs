using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Jobs;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.CronJobs;

/// <summary>
/// batch/v1 CronJobs: a Job per scheduled time. Each sync, for one CronJob:
/// <list type="number">
/// <item>reconcile status.active with the Jobs it controls (finished ones leave with SawCompletedJob, running ones
///   missing from the list — a lost status write — join it) and lastSuccessfulTime;</item>
/// <item>delete finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first;</item>
/// <item>unless suspended: find the most recent scheduled time since lastScheduleTime (or creation), no older than
///   startingDeadlineSeconds; apply concurrencyPolicy (Forbid waits for the active Job, Replace deletes it);
///   create Job <c>&lt;cronjob&gt;-&lt;scheduled time in Unix minutes&gt;</c> — the deterministic name makes a retry
///   after a lost status write find the Job instead of starting a second one;</item>
/// <item>write status when it differs; requeue at the next scheduled time.</item>
/// </list>
/// </summary>
public sealed class CronJobController : QueueController
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private const int TooManyMissed = 100;

    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly Informer _cronJobs;
    private readonly Informer _jobs;

    public CronJobController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<CronJobController> log)
        : base("cronjob-controller", time, log)
    {
        _client = client;
        _events = events;
        _cronJobs = informers.For(Kinds.CronJob);
        _jobs = informers.For(Kinds.Job);
        _cronJobs.AddHandler(InformerHandler.Any(cj => Queue.Add(Informer.KeyOf(cj))));
        _jobs.AddHandler(InformerHandler.Any(job =>
        {
            if (OwnerReferences.ControllerOf(job) is { } owner && owner.Str("kind") == "CronJob" && owner.Str("name") is { } name)
                Queue.Add(Informer.KeyOf(job.Namespace(), name));
        }));
    }

    protected override IEnumerable<Informer> Informers => [_cronJobs, _jobs];

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_cronJobs.Get(key) is not { } cj || PodStatus.IsTerminating(cj)) return;
        var now = Time.GetUtcNow();
        var spec = cj["spec"] as JsonObject ?? new JsonObject();
        var status = cj["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        var children = _jobs.List(cj.Namespace()).Where(j => OwnerReferences.IsControlledBy(j, cj)).ToList();

        // 1. The active list follows the children.
        var active = new List<JsonObject>();
        foreach (var reference in (status["active"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var child = children.FirstOrDefault(j => j.Uid() == reference.Str("uid"));
            if (child == null) continue;
            if (JobStatus.FinishedAs(child) is { } how)
            {
                await _events.RecordAsync(cj, EventRecorder.Normal, "SawCompletedJob", $"Saw completed job: {child.Name()}, status: {how}", ct);
                continue;
            }
            active.Add((JsonObject)reference.DeepClone());
        }
        foreach (var child in children)
            if (JobStatus.FinishedAs(child) == null && !PodStatus.IsTerminating(child) && active.All(r => r.Str("uid") != child.Uid()))
                active.Add(Reference(child));
        foreach (var child in children.Where(j => JobStatus.FinishedAs(j) == JobStatus.Complete))
            if (KubeTime.Parse(child["status"].Str("completionTime")) is { } done &&
                (KubeTime.Parse(status.Str("lastSuccessfulTime")) is not { } last || done > last))
                status["lastSuccessfulTime"] = KubeTime.Format(done);

        // 2. History limits.
        await PruneAsync(cj, children, JobStatus.Complete, spec.Long("successfulJobsHistoryLimit"), ct);
        await PruneAsync(cj, children, JobStatus.Failed, spec.Long("failedJobsHistoryLimit"), ct);

        // 3. The schedule.
        DateTimeOffset? requeueAt = null;
        if (spec.Bool("suspend") != true && await ScheduleAsync(cj) is { } schedule)
        {
            requeueAt = schedule.Next(now);
            var earliest = KubeTime.Parse(status.Str("lastScheduleTime")) ?? PodStatus.CreationTime(cj);
            var windowStart = earliest;
            if (spec.Long("startingDeadlineSeconds") is { } deadline && now.AddSeconds(-deadline) > windowStart)
                windowStart = now.AddSeconds(-deadline);
            var (scheduled, missed) = schedule.MostRecent(windowStart, now);
            if (missed > TooManyMissed)
                await _events.RecordAsync(cj, EventRecorder.Warning, "TooManyMissedTimes",
                    $"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew", ct);
            if (scheduled == null && windowStart > earliest && schedule.MostRecent(earliest, windowStart).Latest is { } tooLate)
                await _events.RecordAsync(cj, EventRecorder.Warning, "MissSchedule",
                    $"Missed scheduled time to start a job: {tooLate.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)}", ct);

            if (scheduled is { } at)
                await RunAsync(cj, spec, status, active, at, schedule.Zone, ct);
        }

        if (active.Count > 0) status["active"] = new JsonArray(active.Select(JsonNode (r) => r).ToArray());
        else status.Remove("active");
        if (!JsonNode.DeepEquals(status, cj["status"]))
        {
            var copy = cj.Clone();
            copy["status"] = status;
            await _client.UpdateStatusAsync(Kinds.CronJob, copy, ct);
        }
        // A little past the scheduled time, so the sync surely sees it as due.
        if (requeueAt is { } next) Queue.AddAfter(key, next - now + TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Starts the Job for <paramref name="scheduled"/> unless concurrencyPolicy says otherwise; updates status in place.</summary>
    private async Task RunAsync(JsonObject cj, JsonObject spec, JsonObject status, List<JsonObject> active, DateTimeOffset scheduled, TimeZoneInfo zone, CancellationToken ct)
    {
        var name = JobName(cj.Name() ?? "", scheduled);
        // Created already (a retry, or a restart before the status write)? Then only the status is behind.
        var existing = _jobs.Get(cj.Namespace(), name) ?? await _client.GetAsync(Kinds.Job, cj.Namespace(), name, ct);
        if (existing != null)
        {
            if (OwnerReferences.IsControlledBy(existing, cj)) status["lastScheduleTime"] = KubeTime.Format(scheduled);
            return;
        }

        switch (spec.Str("concurrencyPolicy") ?? "Allow")
        {
            case "Forbid" when active.Count > 0:
                // Not started and lastScheduleTime unchanged: the run starts late when the active Job ends, if still
                // within startingDeadlineSeconds (as upstream).
                await _events.RecordAsync(cj, EventRecorder.Normal, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid", ct);
                return;
            case "Replace":
                foreach (var reference in active.ToList())
                {
                    await DeleteJobAsync(cj, reference.Str("name") ?? "", reference.Str("uid"), ct);
                    active.Remove(reference);
                }
                break;
        }

        var job = NewJob(cj, spec, name, scheduled, zone);
        JsonObject created;
        try
        {
            created = await _client.CreateAsync(Kinds.Job, cj.Namespace(), job, ct);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            var found = await _client.GetAsync(Kinds.Job, cj.Namespace(), name, ct);
            if (found != null && OwnerReferences.IsControlledBy(found, cj)) status["lastScheduleTime"] = KubeTime.Format(scheduled);
            return;
        }
        catch (ApiException e)
        {
            await _events.RecordAsync(cj, EventRecorder.Warning, "FailedCreate", $"Error creating job: {e.Message}", ct);
            throw;
        }
        await _events.RecordAsync(cj, EventRecorder.Normal, "SuccessfulCreate", $"Created job {created.Name()}", ct);
        active.Add(Reference(created));
        status["lastScheduleTime"] = KubeTime.Format(scheduled);
    }

    /// <summary>"hello-29382940": the scheduled time in minutes since the Unix epoch, as upstream names them.</summary>
    public static string JobName(string cronJob, DateTimeOffset scheduled) =>
        $"{cronJob}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";

    private static JsonObject NewJob(JsonObject cj, JsonObject spec, string name, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        var template = spec["jobTemplate"] as JsonObject ?? new JsonObject();
        var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? new JsonObject();
        var annotations = template["metadata"]?["annotations"]?.DeepClone() as JsonObject ?? new JsonObject();
        annotations[ScheduledTimestampAnnotation] = Rfc3339(TimeZoneInfo.ConvertTime(scheduled, zone));
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = cj.Namespace(),
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(cj)),
            },
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private static string Rfc3339(DateTimeOffset t) =>
        t.Offset == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonObject Reference(JsonObject job) => new()
    {
        ["kind"] = "Job",
        ["namespace"] = job.Namespace(),
        ["name"] = job.Name(),
        ["uid"] = job.Uid(),
        ["apiVersion"] = "batch/v1",
        ["resourceVersion"] = job.ResourceVersion(),
    };

    /// <summary>The parsed schedule in its zone (UTC unless spec.timeZone names one); a warning event when it cannot be.</summary>
    private async Task<CronSchedule?> ScheduleAsync(JsonObject cj)
    {
        var zone = TimeZoneInfo.Utc;
        if (cj["spec"].Str("timeZone") is { Length: > 0 } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!))
        {
            await _events.RecordAsync(cj, EventRecorder.Warning, "UnknownTimeZone", $"invalid timeZone: \"{id}\"");
            return null;
        }
        var text = cj["spec"].Str("schedule") ?? "";
        if (CronSchedule.TryParse(text, zone, out var schedule, out var error)) return schedule;
        await _events.RecordAsync(cj, EventRecorder.Warning, "UnparseableSchedule", $"unparseable schedule: \"{text}\" : {error}");
        return null;
    }

    /// <summary>Deletes the oldest finished Jobs of one outcome beyond <paramref name="limit"/> (no limit: keep all).</summary>
    private async Task PruneAsync(JsonObject cj, List<JsonObject> children, string outcome, long? limit, CancellationToken ct)
    {
        if (limit is not { } keep) return;
        var finished = children.Where(j => JobStatus.FinishedAs(j) == outcome && !PodStatus.IsTerminating(j))
            .OrderBy(j => KubeTime.Parse(j["status"].Str("startTime")) ?? PodStatus.CreationTime(j))
            .ThenBy(j => j.Name(), StringComparer.Ordinal)
            .ToList();
        foreach (var job in finished.Take(Math.Max(0, finished.Count - (int)keep)))
            await DeleteJobAsync(cj, job.Name() ?? "", job.Uid(), ct);
    }

    private async Task DeleteJobAsync(JsonObject cj, string name, string? uid, CancellationToken ct)
    {
        try
        {
            await _client.DeleteAsync(Kinds.Job, cj.Namespace(), name, new DeleteRequest("Background", PreconditionUid: uid), ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            return;
        }
        await _events.RecordAsync(cj, EventRecorder.Normal, "SuccessfulDelete", $"Deleted job {name}", ct);
    }
}
