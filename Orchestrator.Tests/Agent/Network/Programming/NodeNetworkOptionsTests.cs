using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Agent.Network.Programming;
using Orchestrator.Agent.Services;

using Orchestrator.Tests.Agent.Services;

namespace Orchestrator.Tests.Agent.Network.Programming;

public sealed class NodeNetworkOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new NodeNetworkOptions().Validate());

    [Theory]
    [InlineData("lo", "eth0:orch", "orchestrator-agent")]        // label of another interface
    [InlineData("lo", "lo", "orchestrator-agent")]               // every address would look like ours
    [InlineData("lo", "lo:a-very-long-label", "orchestrator-agent")]
    [InlineData("lo", "lo:orch", "two words")]
    public void Validate_Rejects(string iface, string label, string comment) =>
        Assert.NotEmpty(new NodeNetworkOptions { Interface = iface, AddressLabel = label, RuleComment = comment }.Validate());

    [Fact]
    public void AddNodeNetworking_Disabled_RegistersNothing_Enabled_RegistersTheHostedService()
    {
        var off = new ServiceCollection().AddNodeNetworking(Config(("NodeNetwork:Enabled", "false")));
        Assert.Empty(off);

        var on = new ServiceCollection().AddNodeNetworking(Config(("NodeNetwork:AddressLabel", "lo:x1"), ("NodeNetwork:CleanupOnExit", "true")));
        var options = (NodeNetworkOptions)on.Single(d => d.ServiceType == typeof(NodeNetworkOptions)).ImplementationInstance!;
        Assert.Equal("lo:x1", options.AddressLabel);
        Assert.True(options.CleanupOnExit);
        Assert.Contains(on, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
    }

    [Fact]
    public void AddNodeNetworking_ResolvesWithTheServiceView_TheHostedServiceIsTheAddressState()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IServiceView>(new FakeServiceView())
            .AddSingleton(new NetworkProgrammingLatency(TimeProvider.System))
            .AddNodeNetworking(Config());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var hosted = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<NodeNetworkService>().Single();
        Assert.Same(hosted, provider.GetRequiredService<IServiceAddressState>());
        Assert.IsType<ProcessCommandRunner>(provider.GetRequiredService<ICommandRunner>());
    }

    [Fact]
    public void AddNodeNetworking_InvalidOptions_FailAtRegistration() =>
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddNodeNetworking(Config(("NodeNetwork:AddressLabel", "eth0:x"))));

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();
}
