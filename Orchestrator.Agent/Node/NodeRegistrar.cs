using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Node;

/// <summary>
/// Registers this node and keeps its status current, like the kubelet's node status loop:
/// <list type="number">
/// <item>every tick (the lease interval) read the Node and ping Docker;</item>
/// <item>no Node → create it (labels, addresses, capacity, nodeInfo, conditions);</item>
/// <item>first tick of this process → merge our labels into an existing Node (it may have been created by an
/// earlier run or by an admin);</item>
/// <item>post the full status when it is 60 s old, when the stored Ready differs from what we would report (the node
/// lifecycle controller set Unknown, or Docker came or went), or when the runtime's reachability changed.</item>
/// </list>
/// Errors are logged and retried with back-off; the loop only ends with the host.
/// </summary>
public sealed class NodeRegistrar(
    IKubeClient client,
    DockerClient docker,
    NodeIdentity identity,
    AgentOptions options,
    TimeProvider time,
    CredentialRejection rejection,
    ILogger<NodeRegistrar> logger) : BackgroundService
{
    public static readonly TimeSpan StatusUpdateFrequency = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bounds one tick (API calls and the Docker query): the API client has no timeout of its own, as watches are
    /// open-ended, and a server that accepted the connection but never answers must not stall the heartbeat.
    /// </summary>
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(30);

    private readonly NodeObjectBuilder _builder = new(identity, options.KubeletPort);

    // Loop state, touched only by ExecuteAsync's single loop.
    private bool _labelsMerged;
    private DateTimeOffset _lastPosted = DateTimeOffset.MinValue;
    private bool? _lastReachable;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var delay = options.LeaseInterval;
            try
            {
                await TickAsync(ct);
                failures = 0;
            }
            catch (ApiException ex) when (ex.Code == 401 && !ct.IsCancellationRequested)
            {
                rejection.Report("updating the node");
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && RetryBackoff.IsRetryable(ex))
            {
                failures++;
                delay = RetryBackoff.Delay(failures, options.LeaseInterval);
                logger.LogWarning("Updating node {Node} failed ({Error}); retrying in {Delay}", identity.Name, ex.Message, delay);
            }
            await Task.Delay(delay, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        tick.CancelAfter(TickTimeout);
        var ct = tick.Token;
        var node = await client.GetAsync(Kinds.Node, null, identity.Name, ct);
        if (node == null)
        {
            var runtime = await ObserveRuntimeAsync(ct);
            node = await client.CreateAsync(Kinds.Node, null, _builder.NewNode(runtime, time.GetUtcNow()), ct);
            logger.LogInformation("Registered node {Node} (InternalIP {Ip})", identity.Name, identity.InternalIp);
            _labelsMerged = true;
            // The server may drop status on create, as Kubernetes may: post it through the subresource too.
            await PostStatusAsync(node, runtime, ct);
            (_lastPosted, _lastReachable) = (time.GetUtcNow(), runtime.Reachable);
        }
        else
        {
            if (!_labelsMerged)
            {
                await client.PatchAsync(Kinds.Node, null, identity.Name, PatchType.Merge,
                    new JsonObject { ["metadata"] = new JsonObject { ["labels"] = _builder.Labels() } }, ct: ct);
                _labelsMerged = true;
            }
            var reachable = await docker.PingAsync(ct);
            var storedReady = NodeObjectBuilder.ConditionStatus(node["status"] as JsonObject, "Ready");
            var due = time.GetUtcNow() - _lastPosted >= StatusUpdateFrequency
                      || reachable != _lastReachable
                      || storedReady != (reachable ? "True" : "False");
            if (due)
            {
                var runtime = await ObserveRuntimeAsync(ct);
                await PostStatusAsync(node, runtime, ct);
                (_lastPosted, _lastReachable) = (time.GetUtcNow(), runtime.Reachable);
            }
        }
    }

    private async Task PostStatusAsync(JsonObject node, RuntimeObservation runtime, CancellationToken ct)
    {
        var status = _builder.Status(runtime, time.GetUtcNow(), node["status"] as JsonObject);
        await client.PatchAsync(Kinds.Node, null, identity.Name, PatchType.Merge, new JsonObject { ["status"] = status }, "status", ct);
        var before = NodeObjectBuilder.ConditionStatus(node["status"] as JsonObject, "Ready");
        var after = NodeObjectBuilder.ReadyStatus(runtime);
        if (!runtime.Reachable)
            logger.LogWarning("Node {Node} posted Ready=False: {Error}", identity.Name, runtime.Error);
        else if (before != after)
            logger.LogInformation("Node {Node} posted Ready=True (was {Before})", identity.Name, before ?? "unset");
        else
            logger.LogDebug("Node {Node} posted its status", identity.Name);
    }

    /// <summary>Asks Docker for its info; an unreachable engine is an observation, not an error.</summary>
    private async Task<RuntimeObservation> ObserveRuntimeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DockerTimeout);
        try
        {
            var info = await docker.GetInfoAsync(timeout.Token);
            return new RuntimeObservation(true, info, null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or DockerApiException or OperationCanceledException
                                       or System.Net.Sockets.SocketException or IOException)
        {
            // Capacity and nodeInfo then come from the previous status (NodeObjectBuilder keeps them).
            var why = ex is OperationCanceledException ? $"no answer in {DockerTimeout.TotalSeconds:0} s" : ex.Message;
            return new RuntimeObservation(false, null, $"cannot reach Docker at {docker.Endpoint.Uri}: {why}");
        }
    }
}
