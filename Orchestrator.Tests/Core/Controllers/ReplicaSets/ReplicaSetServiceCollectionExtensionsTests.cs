using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class ReplicaSetServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddReplicaSetControllers_ResolvesBothPerScope()
    {
        await using var cluster = new TestCluster();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(cluster.Time);
        services.AddSingleton(cluster.Client);
        services.AddSingleton(cluster.Events);
        services.AddScoped(sp => new InformerFactory(sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddReplicaSetControllers();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using var scope = provider.CreateScope();
        var names = scope.ServiceProvider.GetServices<IController>().Select(c => c.Name).Order().ToList();
        Assert.Equal(["replicaset-controller", "replication-controller"], names);
    }
}
