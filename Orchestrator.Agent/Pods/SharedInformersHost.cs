using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Runs the agent's shared <see cref="InformerFactory"/> for the life of the host: informers asked for before the
/// host starts begin then, later ones at once. (The pod informer is the sync loop's own: it needs a field selector.)
/// </summary>
public sealed class SharedInformersHost(InformerFactory informers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        informers.Start(stoppingToken);
        return Task.CompletedTask;
    }
}
