using System.Text;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A resolver configuration (resolv.conf(5)) as the kubelet reads and writes it: nameservers, search domains and
/// options. Reading follows upstream <c>parseResolvConf</c>: every <c>nameserver</c> line counts, the last
/// <c>search</c> line wins (trailing dots dropped, a lone "." ignored), <c>options</c> lines accumulate with a later
/// option replacing an earlier one of the same name.
/// </summary>
public sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static readonly ResolvConf Empty = new([], [], []);

    public static ResolvConf Parse(string text)
    {
        var nameservers = new List<string>();
        var searches = new List<string>();
        var options = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0) line = line[..comment];
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    searches = fields.Skip(1).Where(s => s != ".").Select(s => s.TrimEnd('.')).ToList();
                    break;
                case "options":
                    options = MergeOptions(options, fields.Skip(1));
                    break;
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /// <summary>
    /// Options are <c>name</c> or <c>name:value</c>; an option in <paramref name="overrides"/> replaces one of the same
    /// name (upstream <c>mergeDNSOptions</c>), keeping the first one's position.
    /// </summary>
    public static List<string> MergeOptions(IEnumerable<string> existing, IEnumerable<string> overrides)
    {
        var result = new List<string>();
        foreach (var option in existing.Concat(overrides))
        {
            var name = option.Split(':', 2)[0];
            var at = result.FindIndex(o => o.Split(':', 2)[0] == name);
            if (at >= 0) result[at] = option;
            else result.Add(option);
        }
        return result;
    }

    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var ns in Nameservers) sb.Append("nameserver ").Append(ns).Append('\n');
        if (Searches.Count > 0) sb.Append("search ").Append(string.Join(' ', Searches)).Append('\n');
        if (Options.Count > 0) sb.Append("options ").Append(string.Join(' ', Options)).Append('\n');
        return sb.ToString();
    }
}
