using System.Runtime.InteropServices;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Metrics;
using Orchestrator.Agent.Dns.Server;
using Orchestrator.Agent.Network.Programming;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Proxy.HealthCheck;
using Orchestrator.Agent.Proxy.Udp;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Agent.Services;
using NetworkSettings = Orchestrator.Agent.Services.NetworkSettings;
using Orchestrator.Agent.Streaming;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

// The node agent. Issue 4 fills this host step by step: joining and the node heartbeat (here), then the Docker
// runtime's pod sync loop, probes and status; issue 5 the node's data path: proxy, DNS, addresses and routes.
//
// 1. parse the command line (bad arguments: usage on stderr, exit 2);
// 2. join the cluster before the host starts, so that a wrong token ends the process with a clear message and a
//    non-zero exit code instead of a host that runs without credentials;
// 3. run the host: node registration/status and the lease heartbeat, until SIGTERM/Ctrl-C.

if (AgentOptions.IsHelp(args))
{
    Console.WriteLine(AgentOptions.Usage);
    return 0;
}
if (!AgentOptions.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine($"Orchestrator.Agent: {error}");
    Console.Error.WriteLine(AgentOptions.Usage);
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    // Our flags are not configuration keys; the content root holds appsettings.json next to the binary.
    Args = [],
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
var identity = NodeIdentity.Resolve(options!);
builder.Services.AddSingleton(options!);
builder.Services.AddSingleton(identity);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<JoinProcedure>();
builder.Services.AddSingleton<CredentialRejection>();
builder.Services.AddSingleton(sp => new DockerClient(options!.DockerHost, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<IKubeClient>(sp =>
    sp.GetRequiredService<JoinProcedure>().CreateClient(sp.GetRequiredService<JoinResult>()));
builder.Services.AddHostedService<NodeRegistrar>();
builder.Services.AddHostedService<LeaseRenewer>();
// Pods: the sync loop that runs the node's pods on Docker and writes their status, and what it builds on: the
// pod network over the node's podCIDR, images (and the local sandbox image), the pod spec → Docker translation
// (service variables from the shared Service informer), probes and lifecycle hooks. PodNetwork/ImageManager
// settings can be changed through configuration (e.g. PodNetwork__NetworkName), as tests sharing a daemon do.
builder.Services.AddPodNetwork(builder.Configuration.GetSection("PodNetwork").Get<PodNetworkOptions>());
builder.Services.AddImageManager(builder.Configuration.GetSection("Images").Get<ImageManagerOptions>());
builder.Services.AddProbes();
builder.Services.AddPodSync(builder.Configuration);

// Streaming: the authenticated HTTPS port (--kubelet-port) serving logs, exec, attach and port-forward to the API server.
builder.Services.AddSingleton<ServingCertificateIssuer>();
builder.Services.AddHostedService<StreamingServer>();

// Joining happens before the host runs; SIGINT/SIGTERM during it cancel it (the host's own handlers come later).
using var joining = new CancellationTokenSource();
JoinResult joined;
NetworkSettings settings;
{
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; joining.Cancel(); });
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; joining.Cancel(); });
    // A throwaway provider just for joining: the join's logger and clock, with none of the host's services started.
    await using var bootstrap = builder.Services.BuildServiceProvider();
    var join = bootstrap.GetRequiredService<JoinProcedure>();
    var log = bootstrap.GetRequiredService<ILoggerFactory>().CreateLogger("Orchestrator.Agent");
    log.LogInformation("Joining {Server} as node {Node} (InternalIP {Ip})", options!.Server, identity.Name, identity.InternalIp);
    try
    {
        joined = await join.JoinAsync(joining.Token);
        // The cluster's service CIDR, DNS IP and domain, for the pods' resolv.conf and the node's data path.
        settings = await NetworkSettings.ReadAsync(join.CreateClient(joined), log, TimeProvider.System, joining.Token);
        log.LogInformation("Cluster network: services {ServiceCidr}, pods {ClusterCidr}, DNS {Dns}, domain {Domain}",
            settings.ServiceCidr, settings.ClusterCidr, settings.ClusterDns, settings.ClusterDomain);
    }
    catch (JoinFailedException ex)
    {
        log.LogCritical("Cannot join the cluster: {Message}", ex.Message);
        Console.Error.WriteLine($"Orchestrator.Agent: cannot join the cluster: {ex.Message}");
        return 1;
    }
    catch (OperationCanceledException) when (joining.IsCancellationRequested)
    {
        return 130;
    }
}

builder.Services.AddSingleton(joined);
builder.Services.AddSingleton(settings);
builder.Services.AddPodSpec(new PodSpecOptions { ClusterDnsIp = settings.ClusterDns.ToString(), ClusterDomain = settings.ClusterDomain },
    sp => sp.GetRequiredService<InformerFactory>().For(Kinds.Service));
// The node's data path: the view of services and endpoints it serves from.
builder.Services.AddServiceView();
builder.Services.AddNodeNetworking(builder.Configuration);   // cluster IPs on lo, unreachable routes, routes to other nodes' pods
builder.Services.AddUdpServiceProxy(builder.Configuration);  // the UDP half (section ServiceProxy:Udp)
builder.Services.AddServiceProxy(builder.Configuration);     // TCP and UDP listeners for cluster IPs, node ports, LB/external IPs
builder.Services.AddHealthCheckNodePorts(builder.Configuration); // healthCheckNodePort answers for externalTrafficPolicy Local
builder.Services.AddClusterDns(builder.Configuration);       // the DNS responder at the cluster DNS IP
builder.Services.AddAgentMetrics(builder.Configuration);
using var host = builder.Build();
// Resolved before running: RunAsync disposes the host (and its provider) when it returns.
var rejection = host.Services.GetRequiredService<CredentialRejection>();
await host.RunAsync();
return rejection.Rejected ? 1 : 0;
