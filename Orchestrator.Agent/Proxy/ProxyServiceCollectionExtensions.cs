using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Agent.Node;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Proxy;

public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ServiceProxy"/> hosted service with its options (section <see cref="ServiceProxyOptions.Section"/>),
    /// the Service-status <see cref="IPortConflictReporter"/> and, unless another one was registered before, the
    /// <see cref="Udp.UdpServiceProxy"/> for UDP ports. Needs the service view (<c>AddServiceView</c>), <see cref="IKubeClient"/>,
    /// <see cref="NodeIdentity"/> and <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddServiceProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ServiceProxyOptions>(configuration.GetSection(ServiceProxyOptions.Section));
        services.TryAddSingleton<IUdpServiceProxy, Udp.UdpServiceProxy>();
        services.TryAddSingleton<IPortConflictReporter>(sp => new ServicePortConflictReporter(sp.GetRequiredService<IKubeClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<NodeIdentity>().Name));
        services.AddSingleton<ServiceProxy>();
        services.AddHostedService(sp => sp.GetRequiredService<ServiceProxy>());
        return services;
    }
}
