using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Agent.Proxy.HealthCheck;

public static class HealthCheckServiceCollectionExtensions
{
    /// <summary>
    /// Registers the health-check node port server (needs <c>AddServiceView</c> for its <c>IServiceView</c>). Nothing
    /// is registered when <c>ServiceProxy:Enabled</c> or <c>ServiceProxy:HealthCheckEnabled</c> is false, so a test
    /// agent with the data path off does not even start it.
    /// </summary>
    public static IServiceCollection AddHealthCheckNodePorts(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HealthCheckNodePortOptions.Section);
        var options = section.Get<HealthCheckNodePortOptions>() ?? new HealthCheckNodePortOptions();
        if (!options.Enabled || !options.HealthCheckEnabled) return services;
        services.Configure<HealthCheckNodePortOptions>(section);
        services.AddSingleton<HealthCheckNodePortServer>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthCheckNodePortServer>());
        return services;
    }
}
