using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Runs the controllers and the scheduler while this process holds the controller-manager Lease. Each term of
/// leadership gets a fresh DI scope: new informers (so caches start from a fresh list) and new controller instances,
/// all cancelled together when the term ends.
/// </summary>
public sealed class ControllerManager(IServiceProvider services, LeaderElector elector, ILogger<ControllerManager> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => elector.RunAsync(LeadAsync, stoppingToken);

    private async Task LeadAsync(CancellationToken term)
    {
        using var scope = services.CreateScope();
        var controllers = scope.ServiceProvider.GetServices<IController>().ToList();
        var informers = scope.ServiceProvider.GetRequiredService<InformerFactory>();
        informers.Start(term);
        log.LogInformation("Starting {Count} controllers: {Names}", controllers.Count, string.Join(", ", controllers.Select(c => c.Name)));
        var runs = controllers.Select(c => Task.Run(async () =>
        {
            try
            {
                await c.RunAsync(term);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogError(e, "Controller {Name} stopped with an error", c.Name);
            }
        }, term));
        await Task.WhenAll(runs);
    }
}
