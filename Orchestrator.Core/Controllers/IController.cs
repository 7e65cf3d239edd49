namespace Orchestrator.Core.Controllers;

/// <summary>A control loop run by the controller manager while this server holds leadership.</summary>
public interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken ct);
}
