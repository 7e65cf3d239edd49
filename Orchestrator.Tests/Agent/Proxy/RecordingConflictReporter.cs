using System.Collections.Concurrent;
using Orchestrator.Agent.Proxy;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>Remembers every port-conflict report per service, in order.</summary>
internal sealed class RecordingConflictReporter : IPortConflictReporter
{
    public ConcurrentQueue<(string Service, IReadOnlyList<PortConflict> Conflicts)> Reports { get; } = new();

    public Task ReportAsync(string serviceKey, IReadOnlyList<PortConflict> conflicts, CancellationToken ct)
    {
        Reports.Enqueue((serviceKey, conflicts));
        return Task.CompletedTask;
    }
}
