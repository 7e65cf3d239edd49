using System.Net;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// The diff from what the kernel holds to what is desired, as commands (pure). Only what carries our mark (address
/// label, route protocol, rule comment) is ever removed; what is already right produces no command, so applying a
/// plan twice is a no-op the second time.
/// </summary>
public static class NetworkPlan
{
    /// <summary>
    /// <c>ip -batch</c> lines for the service addresses: ours that are no longer wanted (or not /32) are deleted;
    /// wanted ones that stand on the interface under no label at all are added with our label. An address that is
    /// already there under another label is left alone: someone else serves it.
    /// </summary>
    public static List<string> AddressCommands(LinkState link, IReadOnlyList<IPAddress> desired, NodeNetworkOptions options)
    {
        var lines = new List<string>();
        var dev = options.Interface;
        if (link.Exists && !link.Up) lines.Add($"link set dev {dev} up");
        var wanted = desired.ToHashSet();
        var staying = new HashSet<IPAddress>();
        foreach (var a in link.Addresses)
        {
            if (a.Label == options.AddressLabel && (!wanted.Contains(a.Address) || a.PrefixLength != 32))
                lines.Add($"address del {a.Address}/{a.PrefixLength} dev {dev}");
            else
                staying.Add(a.Address);
        }
        foreach (var ip in desired)
            if (!staying.Contains(ip))
                lines.Add($"address add {ip}/32 dev {dev} label {options.AddressLabel}");
        return lines;
    }

    /// <summary>
    /// <c>ip -batch</c> lines for our routes: a wanted route that is missing or different is replaced (it then carries
    /// our protocol); ours that are no longer wanted are deleted. A wanted destination that is a connected subnet
    /// (protocol kernel) is never replaced and comes back in <paramref name="conflicts"/>.
    /// </summary>
    public static List<string> RouteCommands(IReadOnlyList<KernelRoute> actual, IReadOnlyList<DesiredRoute> desired, int protocol,
        List<DesiredRoute>? conflicts = null)
    {
        var lines = new List<string>();
        var proto = protocol.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ours = actual.Where(r => r.Protocol == proto && r.Destination is not null).ToList();
        foreach (var d in desired)
        {
            if (ours.Any(d.Matches)) continue;
            if (actual.Any(r => r.Destination == d.Destination && r.Protocol == "kernel"))
            {
                conflicts?.Add(d);
                continue;
            }
            lines.Add(d.Unreachable
                ? $"route replace unreachable {d.Destination} proto {proto}"
                : $"route replace {d.Destination} via {d.Gateway} proto {proto}");
        }
        foreach (var r in ours)
        {
            if (desired.Any(d => d.Destination == r.Destination)) continue; // replaced above, or already right
            var type = r.Type == "unicast" ? "" : r.Type + " ";
            lines.Add($"route del {type}{r.Destination} proto {proto}");
        }
        return lines;
    }

    /// <summary>
    /// iptables argument lists that make one chain hold exactly <paramref name="desired"/> among the rules carrying
    /// <paramref name="comment"/>, each ahead of the first foreign rule whose target is in
    /// <paramref name="barrierTargets"/> (Docker's MASQUERADE; DOCKER-USER's final RETURN). Missing rules are
    /// inserted at the top before stale ones are deleted (by number, highest first), so a rule that stays wanted is
    /// never absent, not even for a moment.
    /// </summary>
    public static List<IReadOnlyList<string>> ChainCommands(string table, string chain, IReadOnlyList<IReadOnlyList<string>> current,
        IReadOnlyList<IptablesRule> desired, string comment, IReadOnlySet<string> barrierTargets)
    {
        var ours = new List<int>();
        var barrier = int.MaxValue;
        for (var i = 0; i < current.Count; i++)
        {
            if (IptablesOutput.HasComment(current[i], comment)) ours.Add(i);
            else if (barrier == int.MaxValue && IptablesOutput.Target(current[i]) is { } t && barrierTargets.Contains(t)) barrier = i;
        }

        var wanted = desired.Where(r => r.Table == table && r.Chain == chain).ToList();
        List<IptablesRule> insert;
        List<int> delete;
        if (ours.All(i => i < barrier))
        {
            insert = wanted.Where(w => !ours.Any(i => w.SameSpec(current[i]))).ToList();
            delete = [];
            var seen = new List<IptablesRule>();
            foreach (var i in ours)
            {
                var match = wanted.FirstOrDefault(w => w.SameSpec(current[i]));
                if (match is null || seen.Contains(match)) delete.Add(i);
                else seen.Add(match);
            }
        }
        else
        {
            insert = wanted;
            delete = ours;
        }

        var commands = new List<IReadOnlyList<string>>();
        for (var k = insert.Count - 1; k >= 0; k--)
            commands.Add(["-w", "5", "-t", table, "-I", chain, "1", .. insert[k].Spec]);
        foreach (var i in delete.OrderByDescending(i => i))
            commands.Add(["-w", "5", "-t", table, "-D", chain, (i + 1 + insert.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return commands;
    }
}
