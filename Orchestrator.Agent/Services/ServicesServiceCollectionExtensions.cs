using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Services;

public static class ServicesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the node's <see cref="IServiceView"/> (over the shared informers) and the
    /// <see cref="NetworkProgrammingLatency"/> tracker its consumers report to.
    /// </summary>
    public static IServiceCollection AddServiceView(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new InformerFactory(sp.GetRequiredService<IKubeClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ServiceView>();
        services.AddSingleton<IServiceView>(sp => sp.GetRequiredService<ServiceView>());
        services.AddHostedService(sp => sp.GetRequiredService<ServiceView>());
        services.AddSingleton<NetworkProgrammingLatency>();
        return services;
    }
}
