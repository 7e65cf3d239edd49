using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
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
        // Its own event recorder, so that `kubectl describe` credits events to default-scheduler as upstream does.
        s.AddScoped<IController>(sp =>
        {
            var client = sp.GetRequiredService<IKubeClient>();
            var time = sp.GetRequiredService<TimeProvider>();
            var events = new EventRecorder(client, time, sp.GetRequiredService<ILogger<EventRecorder>>(), SchedulerProfile.DefaultSchedulerName);
            return new Scheduler(sp.GetRequiredService<InformerFactory>(), client, events, time,
                sp.GetRequiredService<ILogger<Scheduler>>(), sp.GetRequiredService<SchedulerProfile>());
        });
        return s;
    }
}
