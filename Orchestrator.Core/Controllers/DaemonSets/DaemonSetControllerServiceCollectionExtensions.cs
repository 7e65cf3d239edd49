using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.DaemonSets;

public static class DaemonSetControllerServiceCollectionExtensions
{
    /// <summary>Registers the DaemonSet controller (scoped: one instance per leadership term).</summary>
    public static IServiceCollection AddDaemonSetController(this IServiceCollection services) =>
        services.AddScoped<IController, DaemonSetController>();
}
