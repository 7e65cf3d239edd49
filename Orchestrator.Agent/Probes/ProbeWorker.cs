using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// One probe of one container, run by an async loop on the injected clock (no thread of its own):
/// <list type="number">
/// <item>the first run is due initialDelaySeconds after the container started (at once if that has passed), the next
/// every periodSeconds after the previous one was due; a run that overran its period is followed at once by one
/// more, like Go's ticker, never by a burst;</item>
/// <item>a run's outcome is counted as the kubelet does: consecutive equal outcomes make a run; the result only
/// settles when the run reaches successThreshold (passes) or failureThreshold (failures); errors (the probe could
/// not be run) are thrown away;</item>
/// <item>the next wait is armed before the run is reported, so whoever reacts to a report (a test moving a manual
/// clock) cannot slip past it;</item>
/// <item>the owner's callback decides whether the loop goes on (it stops on a settled startup success, and holds
/// on a settled liveness/startup failure).</item>
/// </list>
/// </summary>
internal sealed class ProbeWorker(
    ProbeKind kind,
    ProbeSettings settings,
    ContainerProbeTarget target,
    HandlerRunner runner,
    ProbeWorker.RunCallback onRun,
    ILogger logger)
{
    /// <summary>Told every run; <paramref name="settled"/> is set when a threshold was reached. False ends the loop.</summary>
    public delegate bool RunCallback(ProbeWorker worker, ProbeReport report, ProbeOutcome? settled);

    private readonly CancellationTokenSource _stop = new();

    public ProbeKind Kind => kind;

    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>Ends the loop; a run in flight is cancelled and not reported.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended.
        }
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var time = runner.Time;
        try
        {
            var due = target.StartedAt + settings.InitialDelay;
            if (due < time.GetUtcNow())
                due = time.GetUtcNow();
            var wait = DelayUntil(due, ct);
            ProbeOutcome? last = null;
            var run = 0;
            while (true)
            {
                await wait.ConfigureAwait(false);
                var at = time.GetUtcNow();
                var result = await runner.ProbeAsync(target, settings, ct).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();

                ProbeOutcome? settled = null;
                if (result.Outcome != ProbeOutcome.Error)
                {
                    var outcome = result.Passed ? ProbeOutcome.Success : ProbeOutcome.Failure;
                    run = outcome == last ? run + 1 : 1;
                    last = outcome;
                    if (run >= (outcome == ProbeOutcome.Success ? settings.SuccessThreshold : settings.FailureThreshold))
                        settled = outcome;
                }

                due += settings.Period;
                if (due < time.GetUtcNow())
                    due = time.GetUtcNow();
                wait = DelayUntil(due, ct);
                if (!onRun(this, new ProbeReport(target, kind, result, at), settled))
                    return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Untracked or stopped.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Kind} probe of container {Container} stopped by an unexpected error", kind, target.ContainerId);
        }
        finally
        {
            // Also drops the armed timer of a loop that returned.
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    private Task DelayUntil(DateTimeOffset due, CancellationToken ct)
    {
        var delay = due - runner.Time.GetUtcNow();
        return Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, runner.Time, ct);
    }
}
