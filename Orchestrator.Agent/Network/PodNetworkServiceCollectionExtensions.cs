using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Network;

public static class PodNetworkServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="PodNetwork"/> as the singleton <see cref="IPodNetwork"/> (it needs <see cref="DockerClient"/>,
    /// <see cref="IKubeClient"/>, <see cref="NodeIdentity"/> and <see cref="TimeProvider"/> from DI). Options passed
    /// here are registered; without them the defaults are added unless options are registered already.
    /// </summary>
    public static IServiceCollection AddPodNetwork(this IServiceCollection s, PodNetworkOptions? options = null)
    {
        if (options is not null) s.AddSingleton(options);
        else s.TryAddSingleton(new PodNetworkOptions());
        s.AddSingleton(sp => new PodNetwork(sp.GetRequiredService<DockerClient>(), sp.GetRequiredService<IKubeClient>(),
            sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PodNetwork>>(),
            sp.GetRequiredService<PodNetworkOptions>()));
        s.AddSingleton<IPodNetwork>(sp => sp.GetRequiredService<PodNetwork>());
        return s;
    }
}
