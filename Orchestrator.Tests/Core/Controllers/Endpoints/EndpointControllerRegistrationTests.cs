using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointControllerRegistrationTests
{
    [Fact]
    public async Task AddEndpointControllers_ResolvesAllFourPerScope()
    {
        await using var cluster = new TestCluster();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(cluster.Client);
        services.AddSingleton<TimeProvider>(cluster.Time);
        services.AddSingleton(cluster.Events);
        services.AddScoped(sp => new InformerFactory(sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddEndpointControllers();
        await using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var names = scope.ServiceProvider.GetServices<IController>().Select(c => c.Name).Order().ToList();
        Assert.Equal(["endpoints-controller", "endpointslice-controller", "endpointslice-mirroring-controller", "loadbalancer-status-controller"], names);
    }
}
