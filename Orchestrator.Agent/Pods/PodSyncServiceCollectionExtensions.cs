using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Agent.Pods;

/// <summary>The pod sync loop's services (the spec, image, network and probe services are registered by their folders).</summary>
public static class PodSyncServiceCollectionExtensions
{
    public static IServiceCollection AddPodSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PodSyncOptions>(configuration.GetSection(PodSyncOptions.Section));
        services.AddSingleton<PodSyncPaths>();
        services.AddSingleton<NodePodIndex>();
        services.AddSingleton<CrashLoopBackoff>();
        services.AddSingleton<PodContainerObserver>();
        services.AddSingleton<PodStatusWriter>();
        services.AddSingleton<PodEvents>();
        services.AddSingleton<PodTerminator>();
        services.AddSingleton<PodWorker>();
        services.AddHostedService<PodSyncLoop>();
        return services;
    }
}
