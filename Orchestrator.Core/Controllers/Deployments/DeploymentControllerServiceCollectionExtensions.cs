using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.Deployments;

public static class DeploymentControllerServiceCollectionExtensions
{
    /// <summary>Registers the Deployment controller, run by the controller manager in each leadership term.</summary>
    public static IServiceCollection AddDeploymentController(this IServiceCollection services) =>
        services.AddScoped<IController, DeploymentController>();
}
