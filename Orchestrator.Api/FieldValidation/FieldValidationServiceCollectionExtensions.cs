using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.FieldValidation;

public static class FieldValidationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UnknownFieldDetector"/> as a singleton built from the served <see cref="OpenApiDocuments"/>
    /// (registered here from the DI <see cref="ResourceCatalog"/> when nobody did yet), so that strict validation
    /// accepts exactly the fields that <c>kubectl explain</c> shows.
    /// </summary>
    public static IServiceCollection AddFieldValidation(this IServiceCollection services)
    {
        services.TryAddSingleton(ResourceCatalog.Default);
        services.TryAddSingleton(sp => new OpenApiDocuments(sp.GetRequiredService<ResourceCatalog>()));
        services.TryAddSingleton(sp => new UnknownFieldDetector(sp.GetRequiredService<OpenApiDocuments>()));
        return services;
    }
}
