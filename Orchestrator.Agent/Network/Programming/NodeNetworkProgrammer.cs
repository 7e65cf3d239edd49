using System.ComponentModel;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Converges the node's kernel networking to a snapshot, from whatever state it is in:
/// <list type="number">
/// <item>read the service-address interface (<c>ip -j -4 addr show dev IF</c>) and the main table
///   (<c>ip -j -4 route show table main</c>); create the dummy interface if configured and missing;</item>
/// <item>compute the <see cref="DesiredNetwork"/> (<see cref="DesiredNetworkBuilder"/>) and the diff
///   (<see cref="NetworkPlan"/>); send all address and route changes in one <c>ip -force -batch -</c>;</item>
/// <item>with pod routes on, read the two iptables chains and insert/delete our rules — only when the wanted rules
///   changed or on a full pass (<c>full</c>), since service changes never touch them;</item>
/// <item>log each skipped node or conflicting route once while it lasts.</item>
/// </list>
/// Calls must not overlap (the service serialises them).
/// </summary>
public sealed class NodeNetworkProgrammer(ICommandRunner runner, NodeNetworkOptions options, ILogger<NodeNetworkProgrammer> log)
{
    private static readonly IReadOnlySet<string> MasqueradeTargets = new HashSet<string> { "MASQUERADE", "SNAT" };
    private static readonly IReadOnlySet<string> ForwardBarrierTargets = new HashSet<string> { "RETURN", "DROP", "REJECT" };

    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private IReadOnlyList<IptablesRule>? _convergedRules;

    public NodeNetworkOptions Options => options;

    /// <summary>Converges to <paramref name="snapshot"/>; <paramref name="full"/> also re-reads the iptables chains.</summary>
    public Task<NetworkApplyResult> ApplyAsync(ClusterServices snapshot, bool full, CancellationToken ct) =>
        ConvergeAsync(routes => DesiredNetworkBuilder.Build(snapshot, options, routes), full, cleanup: false, ct);

    /// <summary>Removes every address, route and rule of ours (the interface itself stays).</summary>
    public Task<NetworkApplyResult> CleanupAsync(CancellationToken ct) =>
        ConvergeAsync(_ => DesiredNetwork.Empty, full: true, cleanup: true, ct);

    private async Task<NetworkApplyResult> ConvergeAsync(Func<IReadOnlyList<KernelRoute>, DesiredNetwork> desiredOf, bool full, bool cleanup,
        CancellationToken ct)
    {
        var errors = new List<string>();
        var notices = new List<string>();

        // 1. Read.
        var link = await ReadLinkAsync(ct);
        if (!link.Exists && options.CreateDummyInterface && !cleanup)
        {
            var created = await RunAsync(options.IpCommand, ["link", "add", options.Interface, "type", "dummy"], null, ct);
            if (!created.Succeeded) errors.Add($"ip link add {options.Interface} type dummy: {created.Describe()}");
            else log.LogInformation("Created dummy interface {Interface} for service addresses", options.Interface);
            link = await ReadLinkAsync(ct);
        }
        var routes = IpJson.ParseRoutes((await RunCheckedAsync(options.IpCommand, ["-j", "-4", "route", "show", "table", "main"], ct)).StandardOutput);

        // 2. Addresses and routes in one batch.
        var desired = desiredOf(routes);
        var lines = new List<string>();
        if (link.Exists) lines.AddRange(NetworkPlan.AddressCommands(link, desired.Addresses, options));
        else if (desired.Addresses.Count > 0) errors.Add($"interface {options.Interface} does not exist");
        var conflicts = new List<DesiredRoute>();
        lines.AddRange(NetworkPlan.RouteCommands(routes, desired.Routes, options.RouteProtocol, conflicts));
        var addressesApplied = link.Exists;
        if (lines.Count > 0)
        {
            log.LogDebug("ip -batch: {Lines}", string.Join("; ", lines));
            var result = await RunAsync(options.IpCommand, ["-force", "-batch", "-"], string.Join('\n', lines) + "\n", ct);
            if (!result.Succeeded)
            {
                errors.Add($"ip -batch ({lines.Count} commands): {result.Describe()}");
                // Which part failed: the addresses are what serving depends on, so look at them again.
                var after = await ReadLinkAsync(ct);
                addressesApplied = after.Exists && NetworkPlan.AddressCommands(after, desired.Addresses, options).All(l => l.StartsWith("link ", StringComparison.Ordinal));
            }
        }

        // 3. iptables: the no-masquerade and forward rules.
        var ruleCommands = 0;
        if (options.PodRoutes && (full || _convergedRules is null || !SameRules(_convergedRules, desired.Rules)))
        {
            var rulesOk = true;
            foreach (var (table, chain, barriers) in new[]
                     {
                         (DesiredNetworkBuilder.NatTable, DesiredNetworkBuilder.NatChain, MasqueradeTargets),
                         (DesiredNetworkBuilder.FilterTable, options.ForwardChain, ForwardBarrierTargets),
                     })
            {
                var (ok, count) = await ConvergeChainAsync(table, chain, barriers, desired.Rules, errors, notices, ct);
                rulesOk &= ok;
                ruleCommands += count;
            }
            _convergedRules = rulesOk ? desired.Rules : null;
        }

        // 4. What gets no route, once.
        foreach (var s in desired.Skipped) notices.Add($"No route to node {s.Node}'s pods: {s.Reason}");
        foreach (var c in conflicts) notices.Add($"No route for {c.Why} ({c.Destination}): it is a directly connected subnet here");
        WarnOnce(notices);

        var total = lines.Count + ruleCommands;
        if (total > 0)
            log.LogInformation("Node network: {Commands} changes ({Addresses} service addresses, {Routes} routes, {Rules} rules wanted){Cleanup}",
                total, desired.Addresses.Count, desired.Routes.Count, desired.Rules.Count, cleanup ? " — cleanup" : "");
        return new NetworkApplyResult(addressesApplied, errors, total);
    }

    /// <summary>Reads one chain and applies its plan. A missing chain with nothing wanted in it is fine.</summary>
    private async Task<(bool Ok, int Commands)> ConvergeChainAsync(string table, string chain, IReadOnlySet<string> barriers,
        IReadOnlyList<IptablesRule> desired, List<string> errors, List<string> notices, CancellationToken ct)
    {
        var wanted = desired.Count(r => r.Table == table && r.Chain == chain);
        CommandResult read;
        try
        {
            read = await RunAsync(options.IptablesCommand, ["-w", "5", "-t", table, "-S", chain], null, ct);
        }
        catch (Win32Exception e)
        {
            errors.Add($"cannot run {options.IptablesCommand}: {e.Message}");
            return (false, 0);
        }
        if (!read.Succeeded)
        {
            // iptables-nft says "incompatible" and iptables-legacy "No chain" when a chain does not exist.
            if (wanted > 0)
                notices.Add($"iptables chain {table}/{chain} cannot be read ({read.Describe()}); is Docker running? Retried on every resync");
            return (wanted == 0, 0);
        }
        var commands = NetworkPlan.ChainCommands(table, chain, IptablesOutput.ParseChain(read.StandardOutput, chain), desired, options.RuleComment, barriers);
        foreach (var args in commands)
        {
            var result = await RunAsync(options.IptablesCommand, args, null, ct);
            if (!result.Succeeded)
            {
                errors.Add($"iptables {string.Join(' ', args)}: {result.Describe()}");
                return (false, commands.Count);
            }
        }
        return (true, commands.Count);
    }

    private async Task<LinkState> ReadLinkAsync(CancellationToken ct)
    {
        var result = await RunAsync(options.IpCommand, ["-j", "-4", "address", "show", "dev", options.Interface], null, ct);
        // "Device "x" does not exist." is the one failure that means missing; anything else is an error.
        if (!result.Succeeded && result.StandardError.Contains("does not exist", StringComparison.Ordinal)) return LinkState.Missing;
        if (!result.Succeeded) throw new NetworkProgrammingException($"ip address show dev {options.Interface}: {result.Describe()}");
        return IpJson.ParseLink(result.StandardOutput, options.Interface);
    }

    private async Task<CommandResult> RunCheckedAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await RunAsync(program, args, null, ct);
        if (!result.Succeeded) throw new NetworkProgrammingException($"{program} {string.Join(' ', args)}: {result.Describe()}");
        return result;
    }

    private Task<CommandResult> RunAsync(string program, IReadOnlyList<string> args, string? stdin, CancellationToken ct) =>
        runner.RunAsync(program, args, stdin, ct);

    private void WarnOnce(List<string> notices)
    {
        foreach (var n in notices)
            if (_warned.Add(n)) log.LogWarning("{Notice}", n);
        // A problem that went away may be logged again when it comes back.
        _warned.IntersectWith(notices);
    }

    private static bool SameRules(IReadOnlyList<IptablesRule> a, IReadOnlyList<IptablesRule> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Table == p.Second.Table && p.First.Chain == p.Second.Chain && p.First.SameSpec(p.Second.Spec));
}
