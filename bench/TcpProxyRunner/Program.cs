using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Services;

// Runs the agent's ServiceProxy alone, for benchmarks: one ClusterIP service per --listen, its cluster IP and port
// being the listen address, its endpoints the backends (all on this node).
//   TcpProxyRunner --listen 127.77.0.1:9083=127.0.0.1:8081,127.0.0.1:8082 [--listen …] [--no-inline] [--no-wait] [--verbose] [--ioqueues N] [--buffer 16384]
// Prints "ready" once listening; stops on SIGTERM/SIGINT.
var services = new List<JsonObject>();
var slices = new List<JsonObject>();
var options = new ServiceProxyOptions { NodeAddresses = ["127.0.0.1"] };
var verbose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--verbose":
            verbose = true;
            break;
        case "--no-inline":
            options.InlineScheduling = false;
            break;
        case "--ioqueues":
            options.IoQueueCount = int.Parse(args[++i]);
            break;
        case "--no-wait":
            options.WaitForDataBeforeAllocatingBuffer = false;
            break;
        case "--buffer":
            options.BufferSize = int.Parse(args[++i]);
            break;
        case "--max-read":
            options.MaxReadBufferSize = long.Parse(args[++i]);
            break;
        case "--listen":
            var (front, backs) = (args[++i].Split('=')[0], args[i].Split('=')[1]);
            var vip = IPEndPoint.Parse(front);
            var name = $"svc{services.Count}";
            services.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = new JsonObject
                {
                    ["clusterIP"] = vip.Address.ToString(),
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "p", ["protocol"] = "TCP", ["port"] = vip.Port }),
                },
            });
            var n = 0;
            foreach (var b in backs.Split(','))
            {
                var ep = IPEndPoint.Parse(b);
                slices.Add(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = $"{name}-{n++}", ["namespace"] = "default", ["labels"] = new JsonObject { [ClusterServicesBuilder.ServiceNameLabel] = name } },
                    ["addressType"] = "IPv4",
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "p", ["protocol"] = "TCP", ["port"] = ep.Port }),
                    ["endpoints"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray(ep.Address.ToString()), ["nodeName"] = "bench" }),
                });
            }
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

var snapshot = ClusterServicesBuilder.Build(1, DateTimeOffset.UtcNow, "bench", NetworkSettings.Default, services, slices, [], [], []);
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
var proxy = new ServiceProxy(new StaticServiceView(snapshot), new UnhandledUdpServiceProxy(loggers.CreateLogger<UnhandledUdpServiceProxy>()),
    new NoReporter(), new NetworkProgrammingLatency(TimeProvider.System), TimeProvider.System, loggers, Options.Create(options));
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
await proxy.StartAsync(stop.Token);
while (proxy.AppliedVersion < 1) await Task.Delay(10);
Console.WriteLine("ready");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
await proxy.StopAsync(CancellationToken.None);
return 0;

internal sealed class NoReporter : IPortConflictReporter
{
    public Task ReportAsync(string serviceKey, IReadOnlyList<PortConflict> conflicts, CancellationToken ct)
    {
        foreach (var c in conflicts) Console.Error.WriteLine($"port conflict: {c.Describe()}");
        return Task.CompletedTask;
    }
}
