using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Core.Controllers;

namespace Orchestrator.Core.Scheduling;

public static class SchedulerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheduler as a controller (scoped: one instance per leadership term) with the default
    /// filters and scores; register a <see cref="SchedulerProfile"/> first to replace them.
    /// </summary>
    public static IServiceCollection AddScheduler(this IServiceCollection s)
    {
        s.TryAddSingleton(_ => SchedulerProfile.Default());
        s.AddScoped<IController, Scheduler>();
        return s;
    }
}
