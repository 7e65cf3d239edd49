using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Probes;

public sealed class ProbeServiceCollectionExtensionsTests
{
    [Fact]
    public void AddProbes_ResolvesOneManagerBehindItsInterface_AndTheHooks()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new DockerClient("unix:///nonexistent/probes-test.sock"))
            .AddProbes();
        using var provider = services.BuildServiceProvider();

        var manager = provider.GetRequiredService<IProbeManager>();

        Assert.Same(provider.GetRequiredService<ProbeManager>(), manager);
        Assert.IsType<LifecycleHandlers>(provider.GetRequiredService<ILifecycleHandlers>());
    }
}
