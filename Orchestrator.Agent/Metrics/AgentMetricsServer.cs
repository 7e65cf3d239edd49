using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Metrics;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text: the network programming latency, the service view's version and size)
/// and <c>/healthz</c> (200 once the service view has synced) over plain HTTP on a loopback port. A port that is
/// taken is logged and left: metrics must never keep the agent from running pods.
/// </summary>
public sealed class AgentMetricsServer(IOptions<AgentMetricsOptions> options, IServiceView view, NetworkProgrammingLatency latency,
    ILogger<AgentMetricsServer> log) : BackgroundService
{
    public const string LatencyMetric = "orchestrator_agent_network_programming_duration_seconds";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        if (!IPEndPoint.TryParse(options.Value.Bind, out var endpoint))
        {
            log.LogError("Metrics:Bind {Bind} is not an address:port; metrics are off", options.Value.Bind);
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        await using var app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(Render(), "text/plain; version=0.0.4"));
        app.MapGet("/healthz", () => view.Synced ? Results.Text("ok") : Results.Text("service view not synced", statusCode: 503));
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            log.LogWarning("Metrics port {Endpoint} unavailable ({Error}); metrics are off", endpoint, e.Message);
            return;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        log.LogInformation("Metrics on {Address}/metrics", address);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }

    private string Render()
    {
        var text = new StringBuilder();
        latency.Histogram.WriteTo(text, LatencyMetric,
            "From a change of a service or its endpoints to every data-path component of this node serving it.");
        const string recent = "orchestrator_agent_network_programming_recent_seconds";
        text.Append("# HELP ").Append(recent).Append(" Quantiles of the last 4096 network programming latencies.\n");
        text.Append("# TYPE ").Append(recent).Append(" gauge\n");
        foreach (var q in new[] { 0.5, 0.9, 0.99 })
        {
            if (latency.Histogram.Quantile(q) is not { } v) continue;
            text.Append(recent).Append("{quantile=\"").Append(q.ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        var snapshot = view.Current;
        text.Append("# TYPE orchestrator_agent_service_view_version gauge\norchestrator_agent_service_view_version ").Append(snapshot.Version).Append('\n');
        text.Append("# TYPE orchestrator_agent_services gauge\norchestrator_agent_services ").Append(snapshot.Services.Count).Append('\n');
        text.Append("# TYPE orchestrator_agent_service_view_synced gauge\norchestrator_agent_service_view_synced ").Append(view.Synced ? 1 : 0).Append('\n');
        return text.ToString();
    }
}
