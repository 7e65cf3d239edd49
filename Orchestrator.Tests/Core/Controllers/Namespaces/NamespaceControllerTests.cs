using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Namespaces;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Core.Controllers.GarbageCollection;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Namespaces;

public sealed class NamespaceControllerTests
{
    private sealed class Term : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        public NamespaceController Controller { get; }

        public Term(TestCluster c, IKubeClient? client = null)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
            var informers = new InformerFactory(c.Client, c.Time, NullLoggerFactory.Instance);
            Controller = new NamespaceController(informers, client ?? c.Client, c.Time, NullLogger<NamespaceController>.Instance);
            informers.Start(_cts.Token);
            _ = Task.Run(() => Controller.RunAsync(_cts.Token));
        }

        public void Dispose()
        {
            _cts.Cancel();
            Controller.Dispose();
            _cts.Dispose();
        }
    }

    private static async Task CreateNamespace(TestCluster c, string name) =>
        await c.Client.CreateAsync(Kinds.Namespace, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });

    private static async Task<JsonObject?> Namespace(TestCluster c, string name) => await c.Client.GetAsync(Kinds.Namespace, null, name);

    private static string? Condition(JsonObject ns, string type) =>
        (ns["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => x.Str("type") == type)?.Str("status");

    private static async Task FillAsync(TestCluster c, string ns)
    {
        await c.Client.CreateAsync(Kinds.ConfigMap, ns, GcObjects.ConfigMap("cfg", ns));
        await c.Client.CreateAsync(Kinds.ReplicaSet, ns, GcObjects.ReplicaSet("web", ns));
        await c.Client.CreateAsync(Kinds.Pod, ns, GcObjects.Pod("loose", ns: ns));
        await c.Client.CreateAsync(Kinds.Pod, ns, GcObjects.Pod("running", nodeName: "n1", ns: ns));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)] // status writes that meet a conflict are retried
    public async Task Deletion_RemovesContents_WaitsForTerminatingPods_ThenTheNamespace(int conflicts)
    {
        await using var c = new TestCluster();
        await CreateNamespace(c, "team");
        await FillAsync(c, "team");
        await CreateNamespace(c, "bystander");
        await c.Client.CreateAsync(Kinds.ConfigMap, "bystander", GcObjects.ConfigMap("cfg", "bystander"));
        using var term = new Term(c, new ConflictingClient(c.Client, conflicts));

        await c.Client.DeleteAsync(Kinds.Namespace, null, "team");

        await TestCluster.EventuallyAsync(async () =>
            await Namespace(c, "team") is { } ns && Condition(ns, NamespaceConditions.ContentRemaining) == "True" &&
            await c.Client.GetAsync(Kinds.ConfigMap, "team", "cfg") == null &&
            await c.Client.GetAsync(Kinds.ReplicaSet, "team", "web") == null &&
            await c.Client.GetAsync(Kinds.Pod, "team", "loose") == null,
            "the contents are deleted and the namespace reports what remains");
        var terminating = (await Namespace(c, "team"))!;
        Assert.Equal("Terminating", terminating["status"].Str("phase"));
        Assert.Contains("pods has 1 resource instances",
            (terminating["status"]?["conditions"] as JsonArray)!.OfType<JsonObject>().First(x => x.Str("type") == NamespaceConditions.ContentRemaining).Str("message"));
        Assert.NotNull((await c.Client.GetAsync(Kinds.Pod, "team", "running"))?["metadata"]?["deletionTimestamp"]);

        await c.Client.DeleteAsync(Kinds.Pod, "team", "running", new DeleteRequest(null, 0)); // the node confirms
        await TestCluster.EventuallyAsync(async () => await Namespace(c, "team") == null, "the empty namespace is deleted");
        Assert.NotNull(await c.Client.GetAsync(Kinds.ConfigMap, "bystander", "cfg"));
        Assert.NotNull(await Namespace(c, "bystander"));
    }

    [Fact]
    public async Task ObjectWithFinalizer_HoldsTheNamespaceUntilReleased()
    {
        await using var c = new TestCluster();
        await CreateNamespace(c, "team");
        var held = GcObjects.ConfigMap("held", "team");
        held.Metadata()["finalizers"] = new JsonArray("example.com/keep");
        await c.Client.CreateAsync(Kinds.ConfigMap, "team", held);
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.Namespace, null, "team");
        await TestCluster.EventuallyAsync(async () =>
            await Namespace(c, "team") is { } ns && Condition(ns, NamespaceConditions.FinalizersRemaining) == "True",
            "the namespace says a finalizer holds it");

        var live = (await c.Client.GetAsync(Kinds.ConfigMap, "team", "held"))!;
        live.Metadata().Remove("finalizers");
        await c.Client.UpdateAsync(Kinds.ConfigMap, live);
        await TestCluster.EventuallyAsync(async () => await Namespace(c, "team") == null, "the namespace goes once the finalizer is removed");
    }

    [Fact]
    public async Task Restart_MidDeletion_NewInstanceFinishes()
    {
        await using var c = new TestCluster();
        await CreateNamespace(c, "team");
        await FillAsync(c, "team");
        var first = new Term(c);
        await c.Client.DeleteAsync(Kinds.Namespace, null, "team");
        await TestCluster.EventuallyAsync(async () => await c.Client.GetAsync(Kinds.ConfigMap, "team", "cfg") == null, "the first instance starts");
        first.Dispose();

        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.Pod, "team", "running"))?["metadata"]?["deletionTimestamp"] != null, "the bound pod is terminating");
        await c.Client.DeleteAsync(Kinds.Pod, "team", "running", new DeleteRequest(null, 0));
        Assert.NotNull(await Namespace(c, "team"));

        using var second = new Term(c);
        await TestCluster.EventuallyAsync(async () => await Namespace(c, "team") == null, "the new instance finalizes the namespace");
    }
}
