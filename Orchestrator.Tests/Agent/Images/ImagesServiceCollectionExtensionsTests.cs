using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Images;

/// <summary>The agent's registrations resolve, with given or default options, one instance per process.</summary>
public sealed class ImagesServiceCollectionExtensionsTests
{
    [Fact]
    public async Task ImageManagerAndPodNetwork_Resolve_AsSingletons_WithTheirOptions()
    {
        await using var cluster = new TestCluster();
        using var docker = new DockerClient("unix:///nonexistent/docker.sock");
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(docker)
            .AddSingleton(cluster.Client)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new NodeIdentity("images-node", System.Net.IPAddress.Loopback, "amd64", ""))
            .AddImageManager(new ImageManagerOptions { SandboxImage = "images-test/pause:9" })
            .AddPodNetwork();
        await using var sp = services.BuildServiceProvider();

        var images = sp.GetRequiredService<IImageManager>();
        Assert.Same(sp.GetRequiredService<ImageManager>(), images);
        Assert.Equal("images-test/pause:9", ((ImageManager)images).Options.SandboxImage);
        var network = (PodNetwork)sp.GetRequiredService<IPodNetwork>();
        Assert.Same(network, sp.GetRequiredService<IPodNetwork>());
        Assert.Equal(PodNetworkOptions.DefaultNetworkName, network.Options.NetworkName);
        Assert.Equal(PodNetworkOptions.DefaultBridgeName, network.Options.BridgeName);
    }
}
