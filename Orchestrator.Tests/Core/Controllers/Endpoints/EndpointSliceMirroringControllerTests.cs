using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Endpoints.EndpointTestObjects;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointSliceMirroringControllerTests : IAsyncLifetime
{
    private const string Mirroring = "endpointslicemirroring-controller.k8s.io";

    private readonly TestCluster _c = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _c.DisposeAsync();

    private EndpointSliceMirroringController NewController() =>
        new(_c.Informers, _c.Client, _c.Events, _c.Time, NullLogger<EndpointSliceMirroringController>.Instance);

    private static JsonObject UserEndpoints(string name, JsonArray subsets, Dictionary<string, string>? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = JsonObjectOf(labels ?? new() { ["team"] = "db" }) },
        ["subsets"] = subsets,
    };

    private static JsonObject Subset(string[] ready, string[] notReady, params (string Name, int Port)[] ports) => new()
    {
        ["addresses"] = new JsonArray(ready.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip }).ToArray()),
        ["notReadyAddresses"] = new JsonArray(notReady.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip }).ToArray()),
        ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["protocol"] = "TCP" }).ToArray()),
    };

    [Fact]
    public async Task Sync_SelectorlessServiceWithUserEndpoints_Mirrored()
    {
        await CreateServiceAsync(_c, Service("db", null, Port("pg", 5432, 5432)));
        var ep = await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("db", [
            Subset(["192.168.77.50", "192.168.77.51"], ["192.168.77.52"], ("pg", 5432)),
            Subset(["192.168.77.60"], [], ("metrics", 9187)),
        ]));
        _ = _c.Run(NewController());

        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "db", Mirroring)).Count == 2, "two mirrored slices");
        var slices = await SlicesAsync(_c, "db", Mirroring);
        var pg = slices.Single(s => s["ports"]![0].Str("name") == "pg");
        Assert.Equal("IPv4", pg.Str("addressType"));
        Assert.Equal("db", pg.Labels()["team"]);
        Assert.StartsWith("db-", pg.Name());
        var owner = Assert.Single(pg["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(("Endpoints", ep.Uid()), (owner.Str("kind"), owner.Str("uid")));
        var endpoints = EndpointSlices.EndpointsOf(pg).ToDictionary(e => e["addresses"]![0]!.GetValue<string>(), e => e["conditions"].Bool("ready"));
        Assert.Equal(new Dictionary<string, bool?> { ["192.168.77.50"] = true, ["192.168.77.51"] = true, ["192.168.77.52"] = false }, endpoints);

        // Edits of the Endpoints follow; an unchanged mirror is not rewritten.
        var rv = pg.ResourceVersion();
        var current = (await EndpointsAsync(_c, "db"))!;
        current["subsets"] = new JsonArray(Subset(["192.168.77.50"], [], ("pg", 5432)));
        await _c.Client.UpdateAsync(Kinds.Endpoints, current);
        await EventuallyAsync(_c, async () => await SlicesAsync(_c, "db", Mirroring) is [var only] && EndpointSlices.EndpointsOf(only).Count == 1, "one slice, one endpoint");
        var after = Assert.Single(await SlicesAsync(_c, "db", Mirroring));
        Assert.Equal(pg.Name(), after.Name()); // updated in place
        Assert.NotEqual(rv, after.ResourceVersion());
    }

    [Fact]
    public async Task Sync_SkipMirrorOrSelectorOrNoService_NotMirrored()
    {
        await CreateServiceAsync(_c, Service("kubernetes-like", null, Port("https", 443, 6443)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("kubernetes-like", [Subset(["192.168.77.1"], [], ("https", 6443))],
            new() { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }));
        await CreateServiceAsync(_c, Service("selected", new() { ["app"] = "x" }, Port("http", 80, 8080)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("selected", [Subset(["10.244.0.1"], [], ("http", 8080))]));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("serviceless", [Subset(["10.244.0.2"], [], ("http", 8080))]));
        await CreateServiceAsync(_c, Service("db", null, Port("pg", 5432, 5432)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("db", [Subset(["192.168.77.50", "not-an-ip"], [], ("pg", 5432))]));
        _ = _c.Run(NewController());

        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "db", Mirroring)).Count == 1, "db mirrored");
        await Task.Delay(200);
        Assert.Single(EndpointSlices.EndpointsOf((await SlicesAsync(_c, "db", Mirroring))[0])); // the invalid address is skipped
        foreach (var name in new[] { "kubernetes-like", "selected", "serviceless" })
            Assert.Empty(await SlicesAsync(_c, name, Mirroring));
        var events = (await _c.Client.ListAsync(Kinds.Event, Ns)).Items;
        Assert.Contains(events, e => e.Str("reason") == "InvalidIPAddress" && e["involvedObject"].Str("name") == "db");
    }

    [Fact]
    public async Task Sync_EndpointsDeletedOrServiceGetsSelector_MirrorRemoved()
    {
        await CreateServiceAsync(_c, Service("db", null, Port("pg", 5432, 5432)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("db", [Subset(["192.168.77.50"], [], ("pg", 5432))]));
        await CreateServiceAsync(_c, Service("cache", null, Port("redis", 6379, 6379)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("cache", [Subset(["192.168.77.70"], [], ("redis", 6379))]));
        _ = _c.Run(NewController());
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "db", Mirroring)).Count == 1 && (await SlicesAsync(_c, "cache", Mirroring)).Count == 1, "both mirrored");

        await _c.Client.DeleteAsync(Kinds.Endpoints, Ns, "db");
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "db", Mirroring)).Count == 0, "db mirror gone");

        var cache = (await _c.Client.GetAsync(Kinds.Service, Ns, "cache"))!;
        cache["spec"]!["selector"] = new JsonObject { ["app"] = "cache" };
        await _c.Client.UpdateAsync(Kinds.Service, cache);
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "cache", Mirroring)).Count == 0, "cache mirror gone");
    }

    [Fact]
    public async Task Restart_NoChurn_ThenFollowsEditsMadeWhileDown()
    {
        await CreateServiceAsync(_c, Service("db", null, Port("pg", 5432, 5432)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, UserEndpoints("db", [Subset(["192.168.77.50"], [], ("pg", 5432))]));
        _c.Informers.Start(_c.Token);
        using var term = new CancellationTokenSource();
        var first = NewController();
        _ = Task.Run(() => first.RunAsync(term.Token));
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "db", Mirroring)).Count == 1, "mirrored");
        var before = Assert.Single(await SlicesAsync(_c, "db", Mirroring));
        await term.CancelAsync();
        first.Dispose();

        using var second = new CancellationTokenSource();
        var again = NewController();
        _ = Task.Run(() => again.RunAsync(second.Token));
        await Task.Delay(300);
        Assert.Equal(before.ResourceVersion(), Assert.Single(await SlicesAsync(_c, "db", Mirroring)).ResourceVersion());
        await second.CancelAsync();
        again.Dispose();

        var ep = (await EndpointsAsync(_c, "db"))!;
        ep["subsets"] = new JsonArray(Subset(["192.168.77.50", "192.168.77.51"], [], ("pg", 5432)));
        await _c.Client.UpdateAsync(Kinds.Endpoints, ep);
        _ = _c.Run(NewController());
        await EventuallyAsync(_c, async () => await SlicesAsync(_c, "db", Mirroring) is [var only] && EndpointSlices.EndpointsOf(only).Count == 2, "edit mirrored");
    }
}
