using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Pods.Spec;

public static class PodSpecServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pod spec translation: <see cref="IContainerConfigFactory"/>, <see cref="IPodVolumes"/>,
    /// <see cref="PodEtcFiles"/> and <see cref="IClusterObjects"/> over the API client and the agent's Service
    /// informer (which must be running: service environment variables wait for its first list). Needs
    /// <see cref="TimeProvider"/>, logging and <see cref="IKubeClient"/> registered.
    /// </summary>
    public static IServiceCollection AddPodSpec(this IServiceCollection services, PodSpecOptions options,
        Func<IServiceProvider, Informer> serviceInformer)
    {
        services.AddSingleton(options);
        services.AddSingleton<IClusterObjects>(sp => new KubeClusterObjects(sp.GetRequiredService<IKubeClient>(), serviceInformer(sp)));
        services.AddSingleton<PodEtcFiles>();
        services.AddSingleton<IContainerConfigFactory, ContainerConfigFactory>();
        services.AddSingleton<IPodVolumes, PodVolumes>();
        return services;
    }
}
