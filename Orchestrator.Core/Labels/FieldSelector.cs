using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Labels;

/// <summary>
/// A field selector (<c>?fieldSelector=</c>): terms <c>field=value</c>, <c>field==value</c>, <c>field!=value</c>
/// joined by commas, all of which must hold. In values, <c>\,</c> <c>\=</c> <c>\!</c> and <c>\\</c> escape the
/// separator characters; any other escape, or an unescaped one of them inside a value, is an error.
/// </summary>
public sealed class FieldSelector
{
    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    private static readonly string[] Operators = ["!=", "==", "="];

    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        var terms = SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0) continue;
            if (!SplitTerm(term, out var field, out var op, out var raw))
                throw ApiException.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
            requirements.Add(new FieldRequirement(field.Trim(), op == "!=", Unescape(raw)));
        }
        return new FieldSelector(requirements);
    }

    public bool Matches(Func<string, string?> getField)
    {
        foreach (var r in Requirements)
            if (!r.Matches(getField)) return false;
        return true;
    }

    /// <summary>Throws 400 "field label not supported" for the first field <paramref name="kind"/> cannot be selected by.</summary>
    public void ValidateFor(ResourceKind kind)
    {
        foreach (var r in Requirements)
            if (!SelectableFields.IsSupported(kind, r.Field))
                throw ApiException.BadRequest($"field label not supported: {r.Field}");
    }

    /// <summary>Matches one stored object of <paramref name="kind"/>; unsupported fields throw 400.</summary>
    public bool Matches(ResourceKind kind, JsonObject obj) => Matches(field => SelectableFields.Get(kind, obj, field));

    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '=' or '!') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static List<string> SplitTerms(string s)
    {
        var terms = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] != ',') continue;
            terms.Add(s[start..i]);
            start = i + 1;
        }
        terms.Add(s[start..]);
        return terms;
    }

    private static bool SplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\') { i++; continue; }
            foreach (var candidate in Operators)
                if (string.CompareOrdinal(term, i, candidate, 0, candidate.Length) == 0)
                {
                    field = term[..i];
                    op = candidate;
                    value = term[(i + candidate.Length)..];
                    return true;
                }
        }
        field = op = value = "";
        return false;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\') && !s.Contains('=') && !s.Contains('!') && !s.Contains(','))
            return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length || s[i + 1] is not ('\\' or ',' or '=' or '!'))
                    throw ApiException.BadRequest($"invalid field selector: invalid escape sequence: {s[i..Math.Min(i + 2, s.Length)]}");
                sb.Append(s[++i]);
                continue;
            }
            if (c is ',' or '=' or '!')
                throw ApiException.BadRequest($"invalid field selector: unescaped character in value: {c}");
            sb.Append(c);
        }
        return sb.ToString();
    }
}
