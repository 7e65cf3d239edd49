using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Agent.Metrics;

public static class AgentMetricsServiceCollectionExtensions
{
    /// <summary>The loopback metrics/health port (section <c>Metrics</c>); needs the service view registered.</summary>
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AgentMetricsOptions>(configuration.GetSection(AgentMetricsOptions.Section));
        services.AddHostedService<AgentMetricsServer>();
        return services;
    }
}
