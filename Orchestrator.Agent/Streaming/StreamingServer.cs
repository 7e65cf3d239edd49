using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// The agent's streaming port (the kubelet's 10250): HTTPS with a certificate the cluster CA signed for this node,
/// requiring a client certificate of the API server, so an unauthenticated caller never gets past the TLS handshake.
/// Serves <c>/containerLogs</c>, <c>/exec</c>, <c>/attach</c> and <c>/portForward</c>; the API server proxies kubectl's
/// requests here (Orchestrator.Api/Proxying).
/// </summary>
public sealed class StreamingServer(AgentOptions options, NodeIdentity identity, JoinResult joined, ServingCertificateIssuer issuer,
    DockerClient docker, TimeProvider time, ILogger<StreamingServer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A streaming port that cannot start must not take the node down with it (a failed BackgroundService stops
        // the host): the node keeps running its pods and heartbeat, and the error says why logs/exec are unavailable.
        X509Certificate2 certificate;
        try
        {
            certificate = await issuer.ObtainAsync(stoppingToken);
        }
        catch (HttpRequestException ex)
        {
            logger.LogError("Streaming port disabled: the API server refused its certificate ({Error}); kubectl logs/exec/attach/port-forward will not reach this node", ex.Message);
            return;
        }
        using var _ = certificate;
        await using var app = Build(new IPEndPoint(IPAddress.Any, options.KubeletPort), certificate, joined.CaPem, docker, identity, time);
        try
        {
            await app.StartAsync(stoppingToken);
        }
        catch (IOException ex)
        {
            logger.LogError("Streaming port disabled: cannot listen on port {Port} ({Error}); kubectl logs/exec/attach/port-forward will not reach this node",
                options.KubeletPort, ex.Message);
            return;
        }
        logger.LogInformation("Streaming port (logs, exec, attach, port-forward) listening on {Port}", options.KubeletPort);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>The web application of the streaming port, separate from the agent's host so tests can run it alone.</summary>
    public static WebApplication Build(IPEndPoint endpoint, X509Certificate2 serving, string caPem, DockerClient docker,
        NodeIdentity identity, TimeProvider time)
    {
        var verifier = new ApiServerClientVerifier(caPem);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Start-up failures are reported once, by StreamingServer.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // The agent's host owns signals and shutdown; this application is started and stopped by it.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MinRequestBodyDataRate = null;
            k.Listen(endpoint, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serving,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                // The cluster CA publishes no revocation lists; an online check would only stall every handshake.
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (certificate, _, _) => verifier.IsApiServer(certificate),
            }));
        });
        var s = builder.Services;
        s.AddSingleton(docker);
        s.AddSingleton(identity);
        s.AddSingleton(time);
        s.AddSingleton<PodContainerLocator>();
        s.AddSingleton<ContainerLogsHandler>();
        s.AddSingleton<RemoteCommandHandler>();
        s.AddSingleton<PortForwardHandler>();

        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        // Defence in depth: Kestrel already refused the handshake without an API server certificate.
        app.Use(async (ctx, next) =>
        {
            if (!verifier.IsApiServer(ctx.Connection.ClientCertificate))
            {
                await StatusResponse.WriteAsync(ctx, 401, "Unauthorized", "Unauthorized");
                return;
            }
            try
            {
                await next(ctx);
            }
            catch (StreamingRequestException ex) when (!ctx.Response.HasStarted)
            {
                await StatusResponse.WriteAsync(ctx, ex.Code, ex.Reason, ex.Message);
            }
            catch (DockerApiException ex) when (!ctx.Response.HasStarted)
            {
                await StatusResponse.WriteAsync(ctx, ex.IsNotFound ? 404 : 500, ex.IsNotFound ? "NotFound" : "InternalError", ex.Message);
            }
        });
        app.MapGet("/containerLogs/{ns}/{pod}/{container}", (HttpContext ctx, string ns, string pod, string container) =>
            ctx.RequestServices.GetRequiredService<ContainerLogsHandler>().HandleAsync(ctx, ns, pod, container));
        app.MapGet("/exec/{ns}/{pod}/{container}", (HttpContext ctx, string ns, string pod, string container) =>
            ctx.RequestServices.GetRequiredService<RemoteCommandHandler>().ExecAsync(ctx, ns, pod, container));
        app.MapGet("/attach/{ns}/{pod}/{container}", (HttpContext ctx, string ns, string pod, string container) =>
            ctx.RequestServices.GetRequiredService<RemoteCommandHandler>().AttachAsync(ctx, ns, pod, container));
        app.MapGet("/portForward/{ns}/{pod}", (HttpContext ctx, string ns, string pod) =>
            ctx.RequestServices.GetRequiredService<PortForwardHandler>().HandleAsync(ctx, ns, pod));
        app.MapFallback((HttpContext ctx) => StatusResponse.WriteAsync(ctx, 404, "NotFound", "the agent serves no such path"));
        return app;
    }
}
