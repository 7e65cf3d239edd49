using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

/// <summary>One run of a deployment controller on a test cluster, stoppable on its own (to test restarts).</summary>
internal sealed class ControllerRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly DeploymentController _controller;
    private readonly Task _run;

    private ControllerRun(TestCluster cluster, IKubeClient client)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        _controller = new DeploymentController(cluster.Informers, client, cluster.Events, cluster.Time, NullLogger<DeploymentController>.Instance);
        cluster.Informers.Start(cluster.Token);
        _run = Task.Run(() => _controller.RunAsync(_cts.Token));
    }

    public static ControllerRun Start(TestCluster cluster, IKubeClient? client = null) => new(cluster, client ?? cluster.Client);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        _controller.Dispose();
        _cts.Dispose();
    }
}
