using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orchestrator.Agent.Network.Programming;

public static class NodeNetworkServiceCollectionExtensions
{
    /// <summary>
    /// The node's network programming (service addresses, unreachable routes, pod routes and rules) as a hosted
    /// service, configured from section <c>NodeNetwork</c>; nothing is registered when <c>Enabled</c> is false.
    /// Needs <see cref="Services.IServiceView"/> and <see cref="Services.NetworkProgrammingLatency"/>
    /// (<c>AddServiceView</c>) and a <see cref="TimeProvider"/>; offers <see cref="IServiceAddressState"/> to the proxy.
    /// Invalid options fail here, at start.
    /// </summary>
    public static IServiceCollection AddNodeNetworking(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(NodeNetworkOptions.Section).Get<NodeNetworkOptions>() ?? new NodeNetworkOptions();
        if (!options.Enabled) return services;
        if (options.Validate() is { Count: > 0 } problems)
            throw new InvalidOperationException($"{NodeNetworkOptions.Section}: {string.Join("; ", problems)}");
        services.AddSingleton(options);
        services.TryAddSingleton<ICommandRunner, ProcessCommandRunner>();
        services.AddSingleton<NodeNetworkProgrammer>();
        services.AddSingleton<NodeNetworkService>();
        services.AddSingleton<IServiceAddressState>(sp => sp.GetRequiredService<NodeNetworkService>());
        services.AddHostedService(sp => sp.GetRequiredService<NodeNetworkService>());
        return services;
    }
}
