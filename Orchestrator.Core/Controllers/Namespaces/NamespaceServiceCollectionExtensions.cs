using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.Namespaces;

public static class NamespaceServiceCollectionExtensions
{
    /// <summary>The namespace controller: empties terminating namespaces, then finalizes them.</summary>
    public static IServiceCollection AddNamespaceController(this IServiceCollection s)
    {
        s.AddScoped<IController, NamespaceController>();
        return s;
    }
}
