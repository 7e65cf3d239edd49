using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Client;

public sealed class InformerTests
{
    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = value },
    };

    [Fact]
    public async Task Informer_ListsThenFollowsChanges_AndTellsHandlers()
    {
        await using var cluster = new TestCluster();
        await cluster.Client.CreateAsync(Kinds.ConfigMap, "default", ConfigMap("before", "1"));
        var informer = cluster.Informers.For(Kinds.ConfigMap);
        var seen = new ConcurrentQueue<string>();
        informer.AddHandler(new InformerHandler(
            o => seen.Enqueue("add " + o.Name()),
            (_, n) => seen.Enqueue("update " + n.Name()),
            o => seen.Enqueue("delete " + o.Name())));
        cluster.Informers.Start(cluster.Token);
        await informer.WaitForSyncAsync(cluster.Token);
        Assert.NotNull(informer.Get("default", "before"));

        await cluster.Client.CreateAsync(Kinds.ConfigMap, "default", ConfigMap("after", "1"));
        var live = await cluster.Client.GetAsync(Kinds.ConfigMap, "default", "after");
        live!["data"]!["k"] = "2";
        await cluster.Client.UpdateAsync(Kinds.ConfigMap, live);
        await cluster.Client.DeleteAsync(Kinds.ConfigMap, "default", "before");

        await TestCluster.EventuallyAsync(() => Task.FromResult(seen.Contains("delete before")), "the delete is seen");
        Assert.Equal(["add before", "add after", "update after", "delete before"], seen);
        Assert.Equal("2", informer.Get("default", "after")!["data"]!["k"]!.GetValue<string>());
        Assert.Null(informer.Get("default", "before"));
    }

    [Fact]
    public async Task Informer_ResyncRedeliversEveryObjectAsUpdate()
    {
        await using var cluster = new TestCluster();
        await cluster.Client.CreateAsync(Kinds.ConfigMap, "default", ConfigMap("a", "1"));
        var informer = cluster.Informers.For(Kinds.ConfigMap);
        var updates = 0;
        informer.AddHandler(new InformerHandler(onUpdate: (_, _) => Interlocked.Increment(ref updates)));
        cluster.Informers.Start(cluster.Token);
        await informer.WaitForSyncAsync(cluster.Token);
        cluster.Time.Advance(informer.ResyncPeriod + TimeSpan.FromSeconds(1));
        await TestCluster.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref updates) >= 1), "a resync happens");
    }
}
