using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.CronJobs;

public static class CronJobControllerServiceCollectionExtensions
{
    /// <summary>Registers the CronJob controller (scoped: one instance per leadership term).</summary>
    public static IServiceCollection AddCronJobController(this IServiceCollection services) =>
        services.AddScoped<IController, CronJobController>();
}
