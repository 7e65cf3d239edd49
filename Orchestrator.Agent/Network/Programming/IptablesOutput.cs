using System.Text;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>Reads <c>iptables -S CHAIN</c>: the chain's rules as argument lists, in order, without <c>-A CHAIN</c>.</summary>
public static class IptablesOutput
{
    public static IReadOnlyList<IReadOnlyList<string>> ParseChain(string text, string chain)
    {
        var rules = new List<IReadOnlyList<string>>();
        foreach (var raw in text.Split('\n'))
        {
            var tokens = Tokenize(raw.Trim());
            if (tokens.Count >= 2 && tokens[0] == "-A" && tokens[1] == chain) rules.Add(tokens.Skip(2).ToList());
        }
        return rules;
    }

    /// <summary>Splits like iptables-save quotes: blanks separate, double quotes group, backslash escapes a quote.</summary>
    public static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool inQuotes = false, any = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; any = true; }
            else if (c == '"') { inQuotes = !inQuotes; any = true; }
            else if (char.IsWhiteSpace(c) && !inQuotes)
            {
                if (any) tokens.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else { current.Append(c); any = true; }
        }
        if (any) tokens.Add(current.ToString());
        return tokens;
    }

    /// <summary>The rule's target (<c>-j X</c>), or null.</summary>
    public static string? Target(IReadOnlyList<string> rule)
    {
        for (var i = 0; i + 1 < rule.Count; i++)
            if (rule[i] == "-j") return rule[i + 1];
        return null;
    }

    /// <summary>True when the rule carries <c>--comment <paramref name="comment"/></c>.</summary>
    public static bool HasComment(IReadOnlyList<string> rule, string comment)
    {
        for (var i = 0; i + 1 < rule.Count; i++)
            if (rule[i] == "--comment" && rule[i + 1] == comment) return true;
        return false;
    }
}
