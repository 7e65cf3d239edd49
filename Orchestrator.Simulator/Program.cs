using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Simulator;

// Orchestrator.Simulator: simulated (fake) nodes for testing the control plane at scale. It is NOT the node agent:
// no containers run; pods bound to these nodes only change status.
const string usage = """
    usage: Orchestrator.Simulator --kubeconfig FILE [--server https://HOST:PORT] --nodes N
             [--name-prefix sim-] [--cpu 4] [--memory 8Gi] [--pods 110] [--startup-delay 1s] [--ready-delay 0s]
    """;

string? server = null, kubeconfigPath = null;
var options = new SimulatorOptions();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--server": server = Next(); break;
            case "--kubeconfig": kubeconfigPath = Next(); break;
            case "--nodes": options = options with { NodeCount = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) }; break;
            case "--name-prefix": options = options with { NamePrefix = Next() }; break;
            case "--cpu": options = options with { Cpu = Next() }; break;
            case "--memory": options = options with { Memory = Next() }; break;
            case "--pods": options = options with { Pods = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) }; break;
            case "--startup-delay": options = options with { StartupDelay = Durations.Parse(Next()) }; break;
            case "--ready-delay": options = options with { ReadyDelay = Durations.Parse(Next()) }; break;
            case "-h" or "--help": Console.WriteLine(usage); return 0;
            default: throw new ArgumentException($"unknown argument {args[i]}");
        }
    }
    if (kubeconfigPath == null) throw new ArgumentException("--kubeconfig is required");
    options.Validate();
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(usage);
    return 2;
}

var kubeconfig = Kubeconfig.Load(kubeconfigPath);
var serverUri = server != null ? new Uri(server) : kubeconfig.Server;

using var loggers = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
    .SetMinimumLevel(LogLevel.Information));
using var client = HttpKubeClient.Create(serverUri, kubeconfig.CaPem, kubeconfig.Token, "orchestrator-simulator");
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => cts.Cancel();

using var pool = new SimulatedNodePool(client, options, TimeProvider.System, loggers);
try
{
    await pool.RunAsync(cts.Token);
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
}
return 0;
