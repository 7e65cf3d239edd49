using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Controllers.CronJobs;
using Orchestrator.Core.Controllers.DaemonSets;

namespace Orchestrator.Core.Controllers.Jobs;

public static class WorkloadControllersServiceCollectionExtensions
{
    /// <summary>The DaemonSet, Job, TTL-after-finished and CronJob controllers together.</summary>
    public static IServiceCollection AddWorkloadControllers(this IServiceCollection services) =>
        services.AddDaemonSetController().AddJobController().AddTtlAfterFinishedController().AddCronJobController();
}
