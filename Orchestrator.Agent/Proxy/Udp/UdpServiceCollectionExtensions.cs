using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Agent.Proxy.Udp;

public static class UdpServiceCollectionExtensions
{
    /// <summary>Configuration section of the UDP forwarders' options (<c>ServiceProxy__Udp__IdleTimeout=00:01:00</c>).</summary>
    public const string Section = "ServiceProxy:Udp";

    /// <summary>
    /// Registers <see cref="UdpServiceProxy"/> as the service proxy's <see cref="IUdpServiceProxy"/>. Call it before
    /// <c>AddServiceProxy</c>, which otherwise registers the placeholder that serves no UDP.
    /// </summary>
    public static IServiceCollection AddUdpServiceProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UdpForwarderOptions>(configuration.GetSection(Section));
        services.AddSingleton<UdpServiceProxy>();
        services.AddSingleton<IUdpServiceProxy>(sp => sp.GetRequiredService<UdpServiceProxy>());
        return services;
    }
}
