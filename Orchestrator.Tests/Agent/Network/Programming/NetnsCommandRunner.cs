using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>Runs <c>ip</c> as <c>ip -n NS …</c> and <c>iptables</c> as <c>ip netns exec NS iptables …</c>.</summary>
internal sealed class NetnsCommandRunner(string ns, ICommandRunner inner) : ICommandRunner
{
    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken ct) =>
        program == "ip"
            ? inner.RunAsync("ip", ["-n", ns, .. arguments], standardInput, ct)
            : inner.RunAsync("ip", ["netns", "exec", ns, program, .. arguments], standardInput, ct);
}
