using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.Nodes;

public static class NodeIpamServiceCollectionExtensions
{
    /// <summary>The node IPAM controller, with its options made per leadership term by <paramref name="options"/>.</summary>
    public static IServiceCollection AddNodeIpamController(this IServiceCollection s, Func<IServiceProvider, NodeIpamOptions> options)
    {
        s.AddScoped<IController>(sp => ActivatorUtilities.CreateInstance<NodeIpamController>(sp, options(sp)));
        return s;
    }
}
