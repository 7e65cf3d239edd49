using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>
/// A gRPC health service on 127.0.0.1 over cleartext HTTP/2 (Kestrel, no gRPC library): answers
/// <c>grpc.health.v1.Health/Check</c> with the status <see cref="StatusOf"/> gives the requested service, or a
/// trailers-only <c>Unimplemented</c> for services it maps to null. Records the service names it was asked about.
/// </summary>
public sealed class GrpcHealthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcHealthTestServer(WebApplication app) => _app = app;

    public Func<string, int?> StatusOf { get; set; } = _ => 1;

    public ConcurrentQueue<string> Services { get; } = new();

    public int Port { get; private set; }

    public static async Task<GrpcHealthTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
            k.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var server = new GrpcHealthTestServer(app);
        app.MapPost("/grpc.health.v1.Health/Check", server.CheckAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    private async Task CheckAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        // 5-byte prefix, then field 1 (0x0A), a one-byte length and the name: enough for the short names used here.
        var service = bytes.Length > 7 ? Encoding.UTF8.GetString(bytes, 7, bytes[6]) : "";
        Services.Enqueue(service);

        context.Response.ContentType = "application/grpc";
        if (StatusOf(service) is not int status)
        {
            context.Response.Headers["grpc-status"] = "12";
            context.Response.Headers["grpc-message"] = "unknown service";
            return;
        }
        // HealthCheckResponse { status = 1 (varint) }, framed.
        await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 2, 0x08, (byte)status });
        context.Response.AppendTrailer("grpc-status", "0");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
