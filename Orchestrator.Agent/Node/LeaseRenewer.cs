using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Node;

/// <summary>
/// The node heartbeat: Lease kube-node-lease/&lt;node&gt; renewed every <see cref="AgentOptions.LeaseInterval"/>
/// (holderIdentity = node, leaseDurationSeconds 40, renewTime as MicroTime), which the node lifecycle controller
/// watches. Like the kubelet it keeps the last written Lease and updates it in place (one PUT per renewal, no GET);
/// a conflict or a missing Lease drops that copy so the next attempt re-reads or re-creates it. The Lease is owned
/// by the Node, so deleting the Node lets the garbage collector remove it.
/// </summary>
public sealed class LeaseRenewer(
    IKubeClient client,
    NodeIdentity identity,
    AgentOptions options,
    TimeProvider time,
    CredentialRejection rejection,
    ILogger<LeaseRenewer> logger) : BackgroundService
{
    public const string LeaseNamespace = "kube-node-lease";
    public const int LeaseDurationSeconds = 40;

    /// <summary>One renewal may take this long (the API client has no timeout of its own; watches are open-ended).</summary>
    private static readonly TimeSpan RenewTimeout = TimeSpan.FromSeconds(10);

    private JsonObject? _lease;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var delay = options.LeaseInterval;
            try
            {
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    attempt.CancelAfter(RenewTimeout);
                    await RenewAsync(attempt.Token);
                }
                if (failures > 0) logger.LogInformation("Renewed lease {Namespace}/{Node} again", LeaseNamespace, identity.Name);
                failures = 0;
            }
            catch (ApiException ex) when (ex.Code == 401 && !ct.IsCancellationRequested)
            {
                rejection.Report("renewing the lease");
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && RetryBackoff.IsRetryable(ex))
            {
                if (ex is ApiException { Code: 404 or 409 }) _lease = null;
                failures++;
                delay = RetryBackoff.Delay(failures, options.LeaseInterval);
                logger.LogWarning("Renewing lease {Namespace}/{Node} failed ({Error}); retrying in {Delay}",
                    LeaseNamespace, identity.Name, ex.Message, delay);
            }
            await Task.Delay(delay, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task RenewAsync(CancellationToken ct)
    {
        _lease ??= await client.GetAsync(Kinds.Lease, LeaseNamespace, identity.Name, ct);
        var now = time.GetUtcNow();
        if (_lease == null)
        {
            var lease = new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = identity.Name, ["namespace"] = LeaseNamespace },
                ["spec"] = Spec(now),
            };
            await SetOwnerAsync(lease, ct);
            _lease = await client.CreateAsync(Kinds.Lease, LeaseNamespace, lease, ct);
            logger.LogInformation("Created lease {Namespace}/{Node}", LeaseNamespace, identity.Name);
            return;
        }

        var updated = _lease.Clone();
        updated["spec"] = Spec(now);
        if (updated["metadata"]?["ownerReferences"] is not JsonArray { Count: > 0 })
            await SetOwnerAsync(updated, ct);
        _lease = await client.UpdateAsync(Kinds.Lease, updated, ct);
    }

    private JsonObject Spec(DateTimeOffset now) => new()
    {
        ["holderIdentity"] = identity.Name,
        ["leaseDurationSeconds"] = LeaseDurationSeconds,
        ["renewTime"] = KubeTime.FormatMicro(now),
    };

    /// <summary>Points the Lease at the Node (when the Node exists yet; the registrar creates it concurrently).</summary>
    private async Task SetOwnerAsync(JsonObject lease, CancellationToken ct)
    {
        var node = await client.GetAsync(Kinds.Node, null, identity.Name, ct);
        if (node?.Uid() is not { } uid) return;
        lease.Metadata()["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["name"] = identity.Name,
            ["uid"] = uid,
        });
    }
}
