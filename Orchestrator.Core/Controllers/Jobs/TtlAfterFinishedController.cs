using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Jobs;

/// <summary>
/// Deletes finished Jobs <c>spec.ttlSecondsAfterFinished</c> seconds after they finished (by the finishing
/// condition's transition time), with background propagation so the garbage collector removes their pods.
/// A Job not yet due is re-queued for the moment it is; before deleting, the Job is read fresh from the server in
/// case the TTL was just changed, and the delete carries its uid so a re-created Job of that name is spared.
/// </summary>
public sealed class TtlAfterFinishedController : QueueController
{
    private readonly IKubeClient _client;
    private readonly Informer _jobs;

    public TtlAfterFinishedController(InformerFactory informers, IKubeClient client, TimeProvider time, ILogger<TtlAfterFinishedController> log)
        : base("ttl-after-finished-controller", time, log)
    {
        _client = client;
        _jobs = informers.For(Kinds.Job);
        _jobs.AddHandler(InformerHandler.Any(job =>
        {
            if (job["spec"].Long("ttlSecondsAfterFinished") != null && JobStatus.FinishedAs(job) != null)
                Queue.Add(Informer.KeyOf(job));
        }));
    }

    protected override IEnumerable<Informer> Informers => [_jobs];

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_jobs.Get(key) is not { } cached || Due(cached) is not { } due) return;
        var now = Time.GetUtcNow();
        if (due > now)
        {
            Queue.AddAfter(key, due - now);
            return;
        }
        var fresh = await _client.GetAsync(Kinds.Job, cached.Namespace(), cached.Name() ?? "", ct);
        if (fresh == null || fresh.Uid() != cached.Uid() || Due(fresh) is not { } freshDue) return;
        if (freshDue > now)
        {
            Queue.AddAfter(key, freshDue - now);
            return;
        }
        try
        {
            await _client.DeleteAsync(Kinds.Job, fresh.Namespace(), fresh.Name() ?? "",
                new DeleteRequest("Background", PreconditionUid: fresh.Uid()), ct);
            Log.LogInformation("Deleted finished job {Key} after its TTL", key);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    /// <summary>When a finished Job with a TTL expires; null when it has no TTL, is unfinished or already going.</summary>
    private static DateTimeOffset? Due(JsonObject job)
    {
        if (Pods.PodStatus.IsTerminating(job)) return null;
        if (job["spec"].Long("ttlSecondsAfterFinished") is not { } ttl) return null;
        return JobStatus.FinishTime(job) is { } finished ? finished.AddSeconds(ttl) : null;
    }
}
