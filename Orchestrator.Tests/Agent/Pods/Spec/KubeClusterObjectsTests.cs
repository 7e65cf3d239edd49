using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class KubeClusterObjectsTests
{
    [Fact]
    public async Task ReadsConfigMapsAndSecretsByName_AndServicesFromTheInformer()
    {
        await using var cluster = new TestCluster();
        await cluster.Client.CreateAsync(Kinds.Namespace, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } });
        await cluster.Client.CreateAsync(Kinds.ConfigMap, "shop", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "settings" },
            ["data"] = new JsonObject { ["mode"] = "fast" },
        });
        await cluster.Client.CreateAsync(Kinds.Secret, "shop", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "creds" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String("s3cr3t"u8.ToArray()) },
            ["stringData"] = new JsonObject { ["user"] = "admin" },
        });
        await cluster.Client.CreateAsync(Kinds.Service, "shop", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "db" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "pg", ["port"] = 5432 }) },
        });
        var informer = cluster.Informers.For(Kinds.Service);
        var objects = new KubeClusterObjects(cluster.Client, informer);
        Assert.False(objects.ServicesSynced);
        cluster.Informers.Start(cluster.Token);
        await cluster.Informers.WaitForSyncAsync(cluster.Token);

        var configMap = await objects.GetConfigMapAsync("shop", "settings", default);
        var secret = await objects.GetSecretAsync("shop", "creds", default);

        Assert.True(objects.ServicesSynced);
        Assert.Equal("fast", Encoding.UTF8.GetString(ConfigData.OfConfigMap(configMap!, withBinaryData: true)["mode"]));
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(ConfigData.OfSecret(secret!)["password"]));
        Assert.Equal("admin", Encoding.UTF8.GetString(ConfigData.OfSecret(secret!)["user"]));
        Assert.Null(await objects.GetConfigMapAsync("shop", "ghost", default));
        Assert.Null(await objects.GetSecretAsync("shop", "ghost", default));
        var db = Assert.Single(objects.ServicesIn("shop"));
        Assert.True(ServiceEnvironment.HasClusterIp(db)); // the API allocated a cluster IP
    }

    [Fact]
    public async Task AddPodSpec_RegistersTheFactoryAndTheVolumes()
    {
        await using var cluster = new TestCluster();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(cluster.Time);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(cluster.Client);
        services.AddPodSpec(new PodSpecOptions { ClusterDnsIp = "10.43.0.10", ClusterDomain = "home.lab" }, _ => cluster.Informers.For(Kinds.Service));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<ContainerConfigFactory>(provider.GetRequiredService<IContainerConfigFactory>());
        Assert.IsType<PodVolumes>(provider.GetRequiredService<IPodVolumes>());
        Assert.IsType<KubeClusterObjects>(provider.GetRequiredService<IClusterObjects>());
        Assert.Equal("home.lab", provider.GetRequiredService<PodSpecOptions>().ClusterDomain);
    }
}
