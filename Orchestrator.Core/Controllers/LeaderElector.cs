using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers;

/// <summary>
/// Leader election through a coordination.k8s.io Lease, so that only one API server process runs the controllers
/// and the scheduler even when several serve the API. The holder renews every <see cref="RetryPeriod"/>; another
/// candidate takes over once <c>renewTime + leaseDurationSeconds</c> has passed. Every write is a compare-and-swap on
/// the Lease's resourceVersion, so two candidates can never both believe they won. Leadership that cannot be renewed
/// within the lease duration is given up (the work is cancelled) before anyone else can take it.
/// </summary>
public sealed class LeaderElector(IKubeClient client, TimeProvider time, ILogger<LeaderElector> log, string leaseNamespace, string leaseName, string identity)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public string Identity => identity;

    /// <summary>Campaigns until cancelled; runs <paramref name="lead"/> for each term won, cancelling it when the term ends.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!await TryAcquireOrRenewAsync(ct))
            {
                await DelayAsync(RetryPeriod, ct);
                continue;
            }
            log.LogInformation("{Identity} became leader of {Namespace}/{Lease}", identity, leaseNamespace, leaseName);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var work = Task.Run(() => lead(term.Token), term.Token);
            var lastRenew = time.GetUtcNow();
            while (!ct.IsCancellationRequested && !work.IsCompleted)
            {
                await DelayAsync(RetryPeriod, ct);
                if (await TryAcquireOrRenewAsync(ct)) lastRenew = time.GetUtcNow();
                else if (time.GetUtcNow() - lastRenew > LeaseDuration - RetryPeriod) break;
            }
            log.LogWarning("{Identity} lost leadership of {Namespace}/{Lease}", identity, leaseNamespace, leaseName);
            await term.CancelAsync();
            try
            {
                await work;
            }
            catch (Exception e) when (e is OperationCanceledException || term.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            var lease = await client.GetAsync(Kinds.Lease, leaseNamespace, leaseName, ct);
            if (lease == null)
            {
                await client.CreateAsync(Kinds.Lease, leaseNamespace, new JsonObject
                {
                    ["apiVersion"] = "coordination.k8s.io/v1",
                    ["kind"] = "Lease",
                    ["metadata"] = new JsonObject { ["name"] = leaseName, ["namespace"] = leaseNamespace },
                    ["spec"] = Spec(now, now, 0),
                }, ct);
                return true;
            }
            var spec = lease["spec"] as JsonObject ?? new JsonObject();
            var holder = spec.Str("holderIdentity");
            var transitions = spec.Long("leaseTransitions") ?? 0;
            if (holder == identity)
            {
                var acquired = KubeTime.Parse(spec.Str("acquireTime")) ?? now;
                lease["spec"] = Spec(acquired, now, transitions);
            }
            else
            {
                var renewed = KubeTime.Parse(spec.Str("renewTime"));
                var duration = TimeSpan.FromSeconds(spec.Long("leaseDurationSeconds") ?? (long)LeaseDuration.TotalSeconds);
                if (!string.IsNullOrEmpty(holder) && renewed is { } r && r + duration > now) return false;
                lease["spec"] = Spec(now, now, transitions + 1);
            }
            await client.UpdateAsync(Kinds.Lease, lease, ct);
            return true;
        }
        catch (ApiException e) when (e.Code is 409 or 404)
        {
            return false; // another candidate wrote first
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Leader election on {Namespace}/{Lease} failed: {Message}", leaseNamespace, leaseName, e.Message);
            return false;
        }
    }

    private JsonObject Spec(DateTimeOffset acquired, DateTimeOffset renewed, long transitions) => new()
    {
        ["holderIdentity"] = identity,
        ["leaseDurationSeconds"] = (long)LeaseDuration.TotalSeconds,
        ["acquireTime"] = KubeTime.FormatMicro(acquired),
        ["renewTime"] = KubeTime.FormatMicro(renewed),
        ["leaseTransitions"] = transitions,
    };

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
