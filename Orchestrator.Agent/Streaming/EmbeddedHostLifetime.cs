using Microsoft.Extensions.Hosting;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// The lifetime of a web application run inside the agent's host: it neither waits for nor reacts to signals (the
/// default console lifetime would install a second SIGTERM handler and print its own start-up banner).
/// </summary>
public sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
