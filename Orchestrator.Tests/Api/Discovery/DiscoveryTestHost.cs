using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Api.Discovery;
using Orchestrator.Api.OpenApi;

namespace Orchestrator.Tests.Api.Discovery;

/// <summary>
/// A minimal real HTTP server (Kestrel on a random loopback port) serving only discovery and OpenAPI, so the route
/// tests and the kubectl end-to-end test exercise exactly what the production server maps.
/// </summary>
public sealed class DiscoveryTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string BaseUrl { get; }
    public HttpClient Client { get; }

    private DiscoveryTestHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public static async Task<DiscoveryTestHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDiscoveryDocuments();
        var app = builder.Build();
        app.MapDiscovery();
        app.MapOpenApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DiscoveryTestHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
