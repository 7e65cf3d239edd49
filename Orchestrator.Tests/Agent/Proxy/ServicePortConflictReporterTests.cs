using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Services;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Core.Controllers.Endpoints;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>The Event and the per-node status condition a port conflict leaves on the Service, through the real API.</summary>
public sealed class ServicePortConflictReporterTests : IAsyncDisposable
{
    private readonly TestCluster _c = new();

    private async Task<DesiredListener> CreateServiceAsync()
    {
        var svc = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80 }) },
        };
        var created = await _c.Client.CreateAsync(Kinds.Service, "default", svc);
        var ip = IPAddress.Parse(created["spec"]!["clusterIP"]!.ToString());
        return new DesiredListener(new ListenerKey(ip, 80, "TCP"), "default/web", new ServicePortEntry("http", "TCP", 80, 0, "80"), ListenerKind.ClusterIp);
    }

    private static JsonObject? Condition(JsonObject svc) =>
        (svc["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PortsAvailable.node-a");

    [Fact]
    public async Task Conflict_RecordsAnEventAndAFalseCondition_ClearingSetsTrue()
    {
        var listener = await CreateServiceAsync();
        // The first status write meets a concurrent writer (409): the reporter re-reads and retries.
        var client = new ConflictingClient(_c.Client, Kinds.Service, 1);
        var reporter = new ServicePortConflictReporter(client, _c.Time, NullLoggerFactory.Instance, "node-a");

        await reporter.ReportAsync("default/web", [new PortConflict(listener, "address already in use", "pid 42 (nginx)")], CancellationToken.None);

        Assert.Equal(1, client.Conflicts);
        var events = (await _c.Client.ListAsync(Kinds.Event, "default")).Items;
        var e = Assert.Single(events, x => x.Str("reason") == ServicePortConflictReporter.EventReason);
        Assert.Equal("Warning", e.Str("type"));
        Assert.Equal("Service", e["involvedObject"].Str("kind"));
        Assert.Equal("web", e["involvedObject"].Str("name"));
        Assert.Contains($"{listener.Key.Address}:80/TCP", e.Str("message"));
        Assert.Contains("pid 42 (nginx)", e.Str("message"));

        var svc = (await _c.Client.GetAsync(Kinds.Service, "default", "web"))!;
        var condition = Condition(svc)!;
        Assert.Equal("False", condition.Str("status"));
        Assert.Equal("PortNotAvailable", condition.Str("reason"));
        Assert.Contains($"{listener.Key.Address}:80/TCP", condition.Str("message"));

        await reporter.ReportAsync("default/web", [], CancellationToken.None);
        svc = (await _c.Client.GetAsync(Kinds.Service, "default", "web"))!;
        Assert.Equal("True", Condition(svc)!.Str("status"));
        Assert.Equal(ServicePortConflictReporter.BoundReason, Condition(svc)!.Str("reason"));
    }

    [Fact]
    public async Task NoConflictEver_WritesNothing()
    {
        await CreateServiceAsync();
        var reporter = new ServicePortConflictReporter(_c.Client, _c.Time, NullLoggerFactory.Instance, "node-a");
        var before = (await _c.Client.GetAsync(Kinds.Service, "default", "web"))!.ResourceVersion();

        await reporter.ReportAsync("default/web", [], CancellationToken.None);

        var svc = (await _c.Client.GetAsync(Kinds.Service, "default", "web"))!;
        Assert.Null(Condition(svc));
        Assert.Equal(before, svc.ResourceVersion());
    }

    public ValueTask DisposeAsync() => _c.DisposeAsync();
}
