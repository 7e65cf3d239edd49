using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Node;

/// <summary>
/// What the loops do when the server stops accepting the node credential (401): retrying cannot help, and joining
/// again needs the token file, which only the start-up path reads. So the agent stops with exit code 1; a service
/// manager restarts it, and <see cref="JoinProcedure"/> sees the 401 and joins again.
/// </summary>
public sealed class CredentialRejection(IHostApplicationLifetime lifetime, ILogger<CredentialRejection> logger)
{
    private int _rejected;

    /// <summary>True once a loop reported a rejected credential; Program turns it into exit code 1.</summary>
    public bool Rejected => Volatile.Read(ref _rejected) == 1;

    public void Report(string what)
    {
        if (Interlocked.Exchange(ref _rejected, 1) == 1) return;
        logger.LogCritical("The server rejected the node credential while {What}; stopping so that a restart joins again", what);
        lifetime.StopApplication();
    }
}
