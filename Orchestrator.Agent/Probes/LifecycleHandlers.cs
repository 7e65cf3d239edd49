using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// postStart and preStop through the same <see cref="HandlerRunner"/> as the probes. The kubelet's rules:
/// <list type="bullet">
/// <item>postStart runs right after the container started, without a timeout of its own; a failure (exec exit code
/// other than 0, an HTTP request that got no answer, a handler the kubelet cannot run) is returned so the pod worker
/// kills the container (event <c>FailedPostStartHook</c>);</item>
/// <item>preStop runs before the stop signal, bounded by the grace period (the caller's token); its failure is
/// logged (the kubelet's <c>FailedPreStopHook</c>) and termination goes on either way.</item>
/// </list>
/// </summary>
public sealed class LifecycleHandlers(HandlerRunner runner, ILogger<LifecycleHandlers> logger) : ILifecycleHandlers
{
    public async Task<string?> RunPostStartAsync(ContainerProbeTarget target, CancellationToken ct)
    {
        if (Handler(target, "postStart") is not { } handler)
            return null;
        var failure = await runner.RunHookAsync(target, handler, ct).ConfigureAwait(false);
        if (failure is not null)
            logger.LogWarning("FailedPostStartHook: {Message}", failure);
        return failure;
    }

    public async Task RunPreStopAsync(ContainerProbeTarget target, CancellationToken ct)
    {
        if (Handler(target, "preStop") is not { } handler)
            return;
        try
        {
            var failure = await runner.RunHookAsync(target, handler, ct).ConfigureAwait(false);
            if (failure is not null)
                logger.LogWarning("FailedPreStopHook: {Message}", failure);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogInformation("preStop hook of container {Container} did not finish within the grace period",
                target.ContainerId);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "FailedPreStopHook: preStop hook of container {Container} failed", target.ContainerId);
        }
    }

    private static JsonObject? Handler(ContainerProbeTarget target, string hook) =>
        target.Container["lifecycle"]?[hook] as JsonObject;
}
