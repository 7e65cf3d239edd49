using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Dns.Server;
using Orchestrator.Agent.Services;

using Orchestrator.Tests.Agent.Services;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// A real <see cref="ClusterDnsServer"/> on a random 127.x.y.z and a kernel-chosen port, fed by a
/// <see cref="FakeServiceView"/>, forwarding to a <see cref="FakeUpstream"/>.
/// </summary>
internal sealed class RunningDnsServer : IAsyncDisposable
{
    private RunningDnsServer(ClusterDnsServer server, FakeServiceView view, FakeUpstream upstream, NetworkProgrammingLatency latency)
    {
        Server = server;
        View = view;
        Upstream = upstream;
        Latency = latency;
    }

    public ClusterDnsServer Server { get; }

    public FakeServiceView View { get; }

    public FakeUpstream Upstream { get; }

    public NetworkProgrammingLatency Latency { get; }

    public IPEndPoint EndPoint => Server.BoundEndPoint!;

    /// <summary>Starts the server; with <paramref name="snapshot"/> the view is synced at once.</summary>
    public static async Task<RunningDnsServer> StartAsync(ClusterServices? snapshot, Action<ClusterDnsOptions>? configure = null)
    {
        var upstream = FakeUpstream.Start();
        var options = new ClusterDnsOptions
        {
            ListenAddress = FakeUpstream.RandomLoopback().ToString(),
            ListenPort = 0,
            Upstreams = [upstream.EndPoint.ToString()],
            UpstreamTimeoutMilliseconds = 500,
            TcpIdleTimeoutSeconds = 5,
        };
        configure?.Invoke(options);
        var view = new FakeServiceView();
        if (snapshot != null) view.Publish(snapshot);
        var latency = new NetworkProgrammingLatency(TimeProvider.System);
        var resolver = new UpstreamResolver(Options.Create(options), TimeProvider.System, NullLogger<UpstreamResolver>.Instance);
        var responder = new ClusterDnsResponder(resolver, options.MaxUdpSize, options.AnswerCacheSize);
        var server = new ClusterDnsServer(view, responder, resolver, latency, Options.Create(options), TimeProvider.System, NullLogger<ClusterDnsServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        await server.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return new RunningDnsServer(server, view, upstream, latency);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        Server.Dispose();
        await Upstream.DisposeAsync();
    }
}
