using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.ReplicaSets;

public static class ReplicaSetServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ReplicaSet controller and the ReplicationController manager as scoped controllers (one instance
    /// per leadership term, with that term's informers).
    /// </summary>
    public static IServiceCollection AddReplicaSetControllers(this IServiceCollection services)
    {
        services.AddScoped<IController, ReplicaSetController>();
        services.AddScoped<IController, ReplicationManager>();
        return services;
    }
}
