using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Api.Printing;

public static class PrintingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TablePrinter"/> as a singleton; uses the registered TimeProvider, or the system clock.</summary>
    public static IServiceCollection AddTablePrinting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TablePrinter>();
        return services;
    }
}
