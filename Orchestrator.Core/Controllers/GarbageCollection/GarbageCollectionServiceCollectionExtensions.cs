using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.GarbageCollection;

public static class GarbageCollectionServiceCollectionExtensions
{
    /// <summary>The garbage collector (ownerReferences; background, foreground, orphan) and the one-hour event expiry.</summary>
    public static IServiceCollection AddGarbageCollectionControllers(this IServiceCollection s)
    {
        s.AddScoped<IController, GarbageCollector>();
        s.AddScoped<IController, EventTtlController>();
        return s;
    }
}
