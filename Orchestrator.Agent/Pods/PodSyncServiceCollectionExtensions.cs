using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Pods;

/// <summary>The pod sync loop's services (the spec, image, network and probe services are registered by their folders).</summary>
public static class PodSyncServiceCollectionExtensions
{
    public static IServiceCollection AddPodSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PodSyncOptions>(configuration.GetSection(PodSyncOptions.Section));
        // The agent's shared informers (Services for the pods' environment variables, and whatever else asks).
        services.TryAddSingleton(sp => new InformerFactory(sp.GetRequiredService<IKubeClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<SharedInformersHost>();
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
