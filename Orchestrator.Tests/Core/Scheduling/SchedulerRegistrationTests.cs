using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Scheduling;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Scheduling;

public class SchedulerRegistrationTests
{
    [Fact]
    public async Task AddScheduler_ResolvesAScopedSchedulerNamedScheduler()
    {
        await using var c = new TestCluster();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(c.Client);
        services.AddSingleton<TimeProvider>(c.Time);
        services.AddScoped(sp => new InformerFactory(sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddScheduler();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await using var scope1 = provider.CreateAsyncScope();
        await using var scope2 = provider.CreateAsyncScope();
        var first = Assert.IsType<Scheduler>(Assert.Single(scope1.ServiceProvider.GetServices<IController>()));
        var second = Assert.IsType<Scheduler>(Assert.Single(scope2.ServiceProvider.GetServices<IController>()));
        Assert.Equal("scheduler", first.Name);
        Assert.NotSame(first, second);
    }
}
