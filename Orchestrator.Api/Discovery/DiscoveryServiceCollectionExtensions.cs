using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DiscoveryDocuments"/> and <see cref="OpenApiDocuments"/> as singletons built from the
    /// <see cref="ResourceCatalog"/> in DI (<see cref="ResourceCatalog.Default"/> when none is registered). Both build
    /// their documents once, on first use.
    /// </summary>
    /// <param name="serverAddress">host:port advertised by legacy <c>GET /api</c>.</param>
    public static IServiceCollection AddDiscoveryDocuments(this IServiceCollection services, string serverAddress = "127.0.0.1:6443")
    {
        services.TryAddSingleton(ResourceCatalog.Default);
        services.TryAddSingleton(sp => new DiscoveryDocuments(sp.GetRequiredService<ResourceCatalog>(), serverAddress));
        services.TryAddSingleton(sp => new OpenApiDocuments(sp.GetRequiredService<ResourceCatalog>()));
        return services;
    }
}
