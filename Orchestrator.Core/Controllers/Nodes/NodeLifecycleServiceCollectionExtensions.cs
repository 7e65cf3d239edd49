using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Core.Controllers.Nodes;

public static class NodeLifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The node lifecycle controller. Its <see cref="NodeLifecycleOptions"/> come from DI: options passed here are
    /// registered (the last registration wins); without them the defaults are added unless options are registered.
    /// </summary>
    public static IServiceCollection AddNodeLifecycleController(this IServiceCollection s, NodeLifecycleOptions? options = null)
    {
        if (options != null) s.AddSingleton(options);
        else s.TryAddSingleton(new NodeLifecycleOptions());
        s.AddScoped<IController, NodeLifecycleController>();
        return s;
    }
}
