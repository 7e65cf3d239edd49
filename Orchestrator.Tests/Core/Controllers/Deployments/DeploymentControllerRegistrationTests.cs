using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class DeploymentControllerRegistrationTests
{
    [Fact]
    public async Task AddDeploymentController_RegistersAScopedControllerResolvableFromTheControlPlaneServices()
    {
        await using var cluster = new TestCluster();
        var services = new ServiceCollection();
        services.AddSingleton(cluster.Client);
        services.AddSingleton<TimeProvider>(cluster.Time);
        services.AddSingleton(cluster.Events);
        services.AddScoped(_ => cluster.Informers);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddDeploymentController();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        var controller = Assert.Single(scope.ServiceProvider.GetServices<IController>());
        Assert.IsType<DeploymentController>(controller);
        Assert.Equal("deployment-controller", controller.Name);
    }
}
