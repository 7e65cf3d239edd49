using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Agent.Dns.Server;

public static class ClusterDnsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cluster DNS responder (section <c>ClusterDns</c>; nothing when <c>Enabled</c> is false). It reads
    /// <see cref="Services.IServiceView"/> and reports to <see cref="Services.NetworkProgrammingLatency"/>: register
    /// those with <c>AddServiceView</c>.
    /// </summary>
    public static IServiceCollection AddClusterDns(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClusterDnsOptions.Section);
        services.Configure<ClusterDnsOptions>(section);
        if (!section.GetValue(nameof(ClusterDnsOptions.Enabled), true)) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UpstreamResolver>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClusterDnsOptions>>().Value;
            return new ClusterDnsResponder(sp.GetRequiredService<UpstreamResolver>(), options.MaxUdpSize, options.AnswerCacheSize);
        });
        services.AddSingleton<ClusterDnsServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterDnsServer>());
        return services;
    }
}
