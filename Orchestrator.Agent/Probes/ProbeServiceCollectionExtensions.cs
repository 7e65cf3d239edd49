using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Agent.Probes;

/// <summary>Registers the probes and lifecycle hooks (needs <c>DockerClient</c> and <c>TimeProvider</c> registered).</summary>
public static class ProbeServiceCollectionExtensions
{
    public static IServiceCollection AddProbes(this IServiceCollection services)
    {
        services.TryAddSingleton<HandlerRunner>();
        services.TryAddSingleton<ProbeManager>();
        services.TryAddSingleton<IProbeManager>(sp => sp.GetRequiredService<ProbeManager>());
        services.TryAddSingleton<ILifecycleHandlers, LifecycleHandlers>();
        return services;
    }
}
