using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>
/// A private network namespace (<c>netprog-&lt;random&gt;</c>) for one test, with <c>lo</c> up; deleted on dispose, which
/// also removes its interfaces, addresses, routes and iptables rules. Nothing here touches the host's namespace.
/// </summary>
internal sealed class TestNetworkNamespace : IAsyncDisposable
{
    private static readonly ProcessCommandRunner Host = new();

    private TestNetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>A runner whose <c>ip</c> and <c>iptables</c> act inside this namespace.</summary>
    public ICommandRunner Runner => new NetnsCommandRunner(Name, Host);

    public static async Task<TestNetworkNamespace> CreateAsync()
    {
        var name = $"netprog-{Guid.NewGuid().ToString("N")[..10]}";
        await Check(Host.RunAsync("ip", ["netns", "add", name], null, CancellationToken.None), "ip netns add");
        var ns = new TestNetworkNamespace(name);
        try
        {
            await ns.IpAsync("link", "set", "lo", "up");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
        return ns;
    }

    /// <summary>Runs <c>ip -n NS …</c>; throws unless it succeeds.</summary>
    public Task<string> IpAsync(params string[] args) => Check(Runner.RunAsync("ip", args, null, CancellationToken.None), "ip " + string.Join(' ', args));

    /// <summary>Runs <c>ip -n NS …</c> and returns whatever happened.</summary>
    public Task<CommandResult> TryIpAsync(params string[] args) => Runner.RunAsync("ip", args, null, CancellationToken.None);

    public Task<string> IptablesAsync(params string[] args) =>
        Check(Runner.RunAsync("iptables", args, null, CancellationToken.None), "iptables " + string.Join(' ', args));

    /// <summary>Runs a program inside the namespace (<c>ip netns exec NS program …</c>).</summary>
    public Task<CommandResult> ExecAsync(string program, params string[] args) =>
        Host.RunAsync("ip", ["netns", "exec", Name, program, .. args], null, CancellationToken.None);

    /// <summary>A veth pair between this namespace and <paramref name="other"/>, addressed and up on both ends.</summary>
    public async Task ConnectAsync(TestNetworkNamespace other, string localName, string localCidr, string otherName, string otherCidr)
    {
        await IpAsync("link", "add", localName, "type", "veth", "peer", "name", otherName, "netns", other.Name);
        await IpAsync("address", "add", localCidr, "dev", localName);
        await other.IpAsync("address", "add", otherCidr, "dev", otherName);
        await IpAsync("link", "set", localName, "up");
        await other.IpAsync("link", "set", otherName, "up");
    }

    public async ValueTask DisposeAsync() => await Host.RunAsync("ip", ["netns", "delete", Name], null, CancellationToken.None);

    private static async Task<string> Check(Task<CommandResult> running, string what)
    {
        var result = await running;
        if (!result.Succeeded) throw new InvalidOperationException($"{what}: {result.Describe()}");
        return result.StandardOutput;
    }
}
