using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>
/// A command runner without effects: reads (<c>ip -j … show</c>, <c>iptables -S</c>) answer from settable text, every
/// call is recorded, and writes succeed (or fail, when <see cref="FailWrites"/> is set).
/// </summary>
internal sealed class ScriptedCommandRunner : ICommandRunner
{
    public string AddressJson { get; set; } = """[{"ifname":"lo","flags":["LOOPBACK","UP"],"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"label":"lo"}]}]""";
    public string RouteJson { get; set; } = """[{"dst":"192.168.77.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.168.77.10","flags":[]}]""";
    public Dictionary<string, string> Chains { get; } = new()
    {
        ["nat/POSTROUTING"] = "-P POSTROUTING ACCEPT\n-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE\n",
        ["filter/DOCKER-USER"] = "-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n",
    };
    public bool FailWrites { get; set; }

    public List<(string Program, IReadOnlyList<string> Args, string? Stdin)> Calls { get; } = [];

    public IEnumerable<string> BatchLines => Calls.Where(c => c.Stdin is not null)
        .SelectMany(c => c.Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    public IEnumerable<string> IptablesWrites => Calls.Where(c => c.Program == "iptables" && !c.Args.Contains("-S")).Select(c => string.Join(' ', c.Args));

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken ct)
    {
        Calls.Add((program, arguments.ToList(), standardInput));
        var args = string.Join(' ', arguments);
        if (program == "ip" && args.StartsWith("-j -4 address show", StringComparison.Ordinal)) return Ok(AddressJson);
        if (program == "ip" && args.StartsWith("-j -4 route show", StringComparison.Ordinal)) return Ok(RouteJson);
        if (program == "iptables" && arguments.Contains("-S"))
        {
            var list = arguments.ToList();
            var key = $"{list[list.IndexOf("-t") + 1]}/{list[^1]}";
            return Chains.TryGetValue(key, out var text)
                ? Ok(text)
                : Task.FromResult(new CommandResult(1, "", $"iptables: chain `{arguments[^1]}' in table `filter' is incompatible, use 'nft' tool.\n"));
        }
        return Task.FromResult(FailWrites ? new CommandResult(1, "", "RTNETLINK answers: Operation not permitted\n") : new CommandResult(0, "", ""));
    }

    private static Task<CommandResult> Ok(string stdout) => Task.FromResult(new CommandResult(0, stdout, ""));
}
