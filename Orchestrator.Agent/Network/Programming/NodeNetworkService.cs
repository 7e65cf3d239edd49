using Microsoft.Extensions.Hosting;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Runs <see cref="NodeNetworkProgrammer"/> from the <see cref="IServiceView"/>:
/// <list type="number">
/// <item>nothing before the view has synced (a service merely not seen yet must not lose its address);</item>
/// <item>then the latest snapshot is applied whenever a newer one exists, at most once per
///   <see cref="NodeNetworkOptions.MinSyncInterval"/> (a burst of changes costs one or two applications), and
///   re-applied in full every <see cref="NodeNetworkOptions.ResyncInterval"/> to repair drift;</item>
/// <item>a failed application is retried after 1 s, 2 s, 4 s … up to <see cref="NodeNetworkOptions.MaxRetryInterval"/>;</item>
/// <item>each application that put every service address in place is reported to <see cref="NetworkProgrammingLatency"/>
///   as component <see cref="Component"/>;</item>
/// <item>on a graceful stop with <see cref="NodeNetworkOptions.CleanupOnExit"/>, everything of ours is removed.</item>
/// </list>
/// </summary>
public sealed class NodeNetworkService(
    IServiceView view,
    NodeNetworkProgrammer programmer,
    NetworkProgrammingLatency latency,
    TimeProvider time,
    ILogger<NodeNetworkService> log) : BackgroundService, IServiceAddressState
{
    public const string Component = "addresses";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _appliedGate = new();
    private TaskCompletionSource _appliedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _appliedVersion;

    private NodeNetworkOptions Options => programmer.Options;

    public long AppliedVersion => Interlocked.Read(ref _appliedVersion);

    public async Task WaitForAppliedAsync(long version, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_appliedGate)
            {
                if (_appliedVersion >= version) return;
                changed = _appliedChanged.Task;
            }
            await changed.WaitAsync(ct);
        }
    }

    private void MarkApplied(long version)
    {
        TaskCompletionSource changed;
        lock (_appliedGate)
        {
            if (version <= _appliedVersion) return;
            Interlocked.Exchange(ref _appliedVersion, version);
            changed = _appliedChanged;
            _appliedChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered before anything is applied, so that no latency is measured without this component.
        latency.Register(Component);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await view.WaitForChangeAsync(0, ct);
        var failures = 0;
        var lastFull = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var snapshot = view.Current;
            var started = time.GetTimestamp();
            var full = failures > 0 || time.GetUtcNow() - lastFull >= Options.ResyncInterval;
            TimeSpan wait;
            await _gate.WaitAsync(ct);
            try
            {
                var result = await programmer.ApplyAsync(snapshot, full, ct);
                if (result.AddressesApplied)
                {
                    latency.Applied(Component, snapshot);
                    MarkApplied(snapshot.Version);
                }
                if (full) lastFull = time.GetUtcNow();
                if (result.Succeeded)
                {
                    if (failures > 0) log.LogInformation("Node network programmed again after {Failures} failed attempts", failures);
                    failures = 0;
                    wait = Options.ResyncInterval;
                }
                else
                {
                    wait = Backoff(++failures);
                    log.LogWarning("Node network not fully programmed (attempt {Attempt}, next in {Wait}): {Errors}", failures, wait,
                        string.Join("; ", result.Errors));
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                wait = Backoff(++failures);
                log.LogWarning(e, "Node network programming failed (attempt {Attempt}, next in {Wait})", failures, wait);
            }
            finally
            {
                _gate.Release();
            }

            // Wait for a newer snapshot or the timer, then let a burst settle for the rest of the minimum interval.
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var change = view.WaitForChangeAsync(snapshot.Version, waiting.Token);
                var timer = Task.Delay(wait, time, waiting.Token);
                await Task.WhenAny(change, timer);
                waiting.Cancel();
                await Task.WhenAll(change, timer).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            ct.ThrowIfCancellationRequested();
            var elapsed = time.GetElapsedTime(started);
            if (elapsed < Options.MinSyncInterval) await Task.Delay(Options.MinSyncInterval - elapsed, time, ct);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!Options.CleanupOnExit) return;
        // The host's stop token may already be spent; the cleanup gets its own short budget.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _gate.WaitAsync(budget.Token);
        try
        {
            var result = await programmer.CleanupAsync(budget.Token);
            if (!result.Succeeded) log.LogWarning("Node network cleanup incomplete: {Errors}", string.Join("; ", result.Errors));
            else log.LogInformation("Node network cleaned up ({Commands} changes)", result.Commands);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Node network cleanup failed");
        }
        finally
        {
            _gate.Release();
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        var wait = TimeSpan.FromTicks((long)Math.Min(Options.RetryInterval.Ticks * factor, Options.MaxRetryInterval.Ticks));
        return wait;
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
