using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

/// <summary>
/// One term of a controller, as the controller manager runs it: its own informers (a fresh list), its own instance,
/// stopped together. Disposing ends the term and waits for the controller to return, so nothing of it is in flight
/// when the next term starts.
/// </summary>
internal sealed class ControllerRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Task _task;

    private ControllerRun(TestCluster cluster, ReplicaControllerBase controller, InformerFactory informers)
    {
        Controller = controller;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        informers.Start(_cts.Token);
        _task = Task.Run(() => controller.RunAsync(_cts.Token));
    }

    public ReplicaControllerBase Controller { get; }

    /// <summary>A ReplicaSet controller whose informers read through <paramref name="informerClient"/> and writes through <paramref name="client"/>.</summary>
    public static ControllerRun ReplicaSets(TestCluster cluster, IKubeClient? client = null, IKubeClient? informerClient = null)
    {
        var informers = new InformerFactory(informerClient ?? cluster.Client, cluster.Time, NullLoggerFactory.Instance);
        var controller = new ReplicaSetController(informers, client ?? cluster.Client, cluster.Events, cluster.Time, NullLogger<ReplicaSetController>.Instance);
        return new ControllerRun(cluster, controller, informers);
    }

    public static ControllerRun ReplicationControllers(TestCluster cluster)
    {
        var informers = new InformerFactory(cluster.Client, cluster.Time, NullLoggerFactory.Instance);
        var controller = new ReplicationManager(informers, cluster.Client, cluster.Events, cluster.Time, NullLogger<ReplicationManager>.Instance);
        return new ControllerRun(cluster, controller, informers);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
        }
        Controller.Dispose();
        _cts.Dispose();
    }
}
