using System.Runtime.InteropServices;
using DnsBench;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Dns.Server;
using Orchestrator.Agent.Services;

// DnsBench ADDRESS PORT [blocking|async] [UDP_LOOPS]: runs the agent's ClusterDnsServer on ADDRESS:PORT (UDP and TCP) over the
// synthetic 100-service snapshot, prints "listening ADDRESS:PORT" once bound, and runs until SIGTERM/SIGINT.
// No upstream: names outside cluster.local get SERVFAIL (the query file has none).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DnsBench ADDRESS PORT [blocking|async] [UDP_LOOPS]");
    return 2;
}

var options = new ClusterDnsOptions
{
    ListenAddress = args[0],
    ListenPort = int.Parse(args[1]),
    UdpBlockingReceive = args.Length < 3 || args[2] != "async",
    UdpReceiveLoops = args.Length > 3 ? int.Parse(args[3]) : 0,
    Upstreams = ["127.0.0.1:1"],
    UpstreamAttempts = 1,
};
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var time = TimeProvider.System;
var resolver = new UpstreamResolver(Options.Create(options), time, loggers.CreateLogger<UpstreamResolver>());
var responder = new ClusterDnsResponder(resolver, options.MaxUdpSize, options.AnswerCacheSize);
var view = new StaticServiceView(SyntheticCluster.Build());
using var server = new ClusterDnsServer(view, responder, resolver, new NetworkProgrammingLatency(time), Options.Create(options), time,
    loggers.CreateLogger<ClusterDnsServer>());

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
await server.StartAsync(stop.Token);
var bound = await server.Listening.WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"listening {bound}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await server.StopAsync(CancellationToken.None);
return 0;
