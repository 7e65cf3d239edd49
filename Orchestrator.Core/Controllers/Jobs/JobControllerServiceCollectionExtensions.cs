using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.Jobs;

public static class JobControllerServiceCollectionExtensions
{
    /// <summary>Registers the Job controller (scoped: one instance per leadership term).</summary>
    public static IServiceCollection AddJobController(this IServiceCollection services) =>
        services.AddScoped<IController, JobController>();

    /// <summary>Registers the controller deleting finished Jobs after spec.ttlSecondsAfterFinished.</summary>
    public static IServiceCollection AddTtlAfterFinishedController(this IServiceCollection services) =>
        services.AddScoped<IController, TtlAfterFinishedController>();
}
