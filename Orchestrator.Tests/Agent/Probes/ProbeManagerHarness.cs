using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>
/// A <see cref="ProbeManager"/> on a <see cref="ManualTimeProvider"/>, with every report, change and Unhealthy
/// event collected. Tests move the clock and wait (in real time, generously) for the runs that must follow; the
/// workers arm their next wait before reporting, so advancing right after a report is never too early.
/// </summary>
public sealed class ProbeManagerHarness : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly Channel<ProbeReport> _reports = Channel.CreateUnbounded<ProbeReport>();

    public ProbeManagerHarness()
    {
        // Never reached: these tests use httpGet and tcpSocket only (exec is covered by the Docker tests).
        Docker = new DockerClient("unix:///nonexistent/probes-test.sock");
        Runner = new HandlerRunner(Docker, Time);
        Manager = new ProbeManager(Runner, NullLogger<ProbeManager>.Instance);
        Manager.Probed += r => _reports.Writer.TryWrite(r);
        Manager.Changed += uid => Changes.Enqueue(uid);
        Manager.Unhealthy += (target, message) => Unhealthy.Enqueue((target, message));
    }

    public ManualTimeProvider Time { get; } = new();
    public DockerClient Docker { get; }
    public HandlerRunner Runner { get; }
    public ProbeManager Manager { get; }
    public ConcurrentQueue<string> Changes { get; } = new();
    public ConcurrentQueue<(ContainerProbeTarget Target, string Message)> Unhealthy { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The next run's report; fails the test when none comes.</summary>
    public async Task<ProbeReport> NextReportAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            return await _reports.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no probe run was reported within {Patience.TotalSeconds} s");
        }
    }

    /// <summary>Moves the clock and returns the run that follows.</summary>
    public async Task<ProbeReport> AdvanceAndReportAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await NextReportAsync();
    }

    /// <summary>
    /// Asserts that no run is reported for a while. Runs against the loopback listener take milliseconds, so a run
    /// that should not have happened shows up well within this window.
    /// </summary>
    public async Task AssertNoReportAsync(int milliseconds = 300)
    {
        await Task.Delay(milliseconds);
        Assert.False(_reports.Reader.TryRead(out var report), $"unexpected probe run: {report}");
    }

    public void Dispose()
    {
        Manager.Dispose();
        Runner.Dispose();
        Docker.Dispose();
    }
}
