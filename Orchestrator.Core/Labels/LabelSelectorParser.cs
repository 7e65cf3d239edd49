using System.Text;
using Orchestrator.Core.Errors;

namespace Orchestrator.Core.Labels;

/// <summary>
/// Parser for the label selector string grammar (as sent in <c>?labelSelector=</c>):
/// <code>
///   selector    := "" | requirement ("," requirement)*
///   requirement := ["!"] KEY
///                | KEY ("=" | "==" | "!=") [VALUE]
///                | KEY ("in" | "notin") "(" [VALUE ("," VALUE)*] ")"
///                | KEY (">" | "<") INTEGER
/// </code>
/// Whitespace separates tokens and is otherwise ignored. A comma inside parentheses separates values, not
/// requirements. "in"/"notin" are keywords only where an operator is expected, so they remain usable as values.
/// Errors inside one requirement are prefixed "unable to parse requirement: " as the apiserver words them.
/// </summary>
internal sealed class LabelSelectorParser
{
    private enum Tok { Identifier, Bang, Eq, DoubleEq, NotEq, In, NotIn, Open, Close, Comma, Gt, Lt, End }

    private readonly record struct Token(Tok Kind, string Text);

    private readonly List<Token> _tokens;
    private int _pos;

    private LabelSelectorParser(List<Token> tokens) => _tokens = tokens;

    public static List<LabelRequirement> Parse(string selector)
    {
        var parser = new LabelSelectorParser(Lex(selector));
        return parser.ParseAll();
    }

    private static bool IsSpecial(char c) => c is '!' or '=' or '(' or ')' or ',' or '>' or '<';

    private static List<Token> Lex(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (IsSpecial(c))
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                if (two == "!=") { tokens.Add(new(Tok.NotEq, two)); i += 2; continue; }
                if (two == "==") { tokens.Add(new(Tok.DoubleEq, two)); i += 2; continue; }
                tokens.Add(c switch
                {
                    '!' => new Token(Tok.Bang, "!"),
                    '=' => new Token(Tok.Eq, "="),
                    '(' => new Token(Tok.Open, "("),
                    ')' => new Token(Tok.Close, ")"),
                    ',' => new Token(Tok.Comma, ","),
                    '>' => new Token(Tok.Gt, ">"),
                    _ => new Token(Tok.Lt, "<"),
                });
                i++;
                continue;
            }

            var sb = new StringBuilder();
            while (i < s.Length && !char.IsWhiteSpace(s[i]) && !IsSpecial(s[i])) sb.Append(s[i++]);
            var word = sb.ToString();
            tokens.Add(word switch
            {
                "in" => new Token(Tok.In, word),
                "notin" => new Token(Tok.NotIn, word),
                _ => new Token(Tok.Identifier, word),
            });
        }
        tokens.Add(new Token(Tok.End, ""));
        return tokens;
    }

    // Outside operator position the keywords are plain identifiers.
    private static Token AsValue(Token t) => t.Kind is Tok.In or Tok.NotIn ? t with { Kind = Tok.Identifier } : t;

    private Token PeekValue() => AsValue(_tokens[_pos]);
    private Token NextValue() => AsValue(NextRaw());
    private Token NextRaw() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private static ApiException Fail(string message) => ApiException.BadRequest(message);
    private static ApiException FailRequirement(string message) => ApiException.BadRequest("unable to parse requirement: " + message);

    private List<LabelRequirement> ParseAll()
    {
        var result = new List<LabelRequirement>();
        while (true)
        {
            var t = PeekValue();
            switch (t.Kind)
            {
                case Tok.Identifier or Tok.Bang:
                    result.Add(ParseRequirement());
                    var after = NextValue();
                    if (after.Kind == Tok.End) return result;
                    if (after.Kind != Tok.Comma)
                        throw Fail($"found '{after.Text}', expected: ',' or 'end of string'");
                    var next = PeekValue();
                    if (next.Kind is not (Tok.Identifier or Tok.Bang))
                        throw Fail($"found '{next.Text}', expected: identifier after ','");
                    break;
                case Tok.End:
                    return result;
                default:
                    throw Fail($"found '{t.Text}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var op = SelectorOperator.Exists;
        var t = NextValue();
        if (t.Kind == Tok.Bang)
        {
            op = SelectorOperator.DoesNotExist;
            t = NextValue();
        }
        if (t.Kind != Tok.Identifier) throw FailRequirement($"found '{t.Text}', expected: identifier");
        var key = t.Text;

        IEnumerable<string> values = [];
        var follow = PeekValue().Kind;
        // "!key" ends here whatever follows; the caller then rejects anything but ',' or the end.
        if (op != SelectorOperator.DoesNotExist && follow is not (Tok.End or Tok.Comma))
        {
            var o = NextRaw();
            op = o.Kind switch
            {
                Tok.Eq => SelectorOperator.Equals,
                Tok.DoubleEq => SelectorOperator.DoubleEquals,
                Tok.NotEq => SelectorOperator.NotEquals,
                Tok.In => SelectorOperator.In,
                Tok.NotIn => SelectorOperator.NotIn,
                Tok.Gt => SelectorOperator.GreaterThan,
                Tok.Lt => SelectorOperator.LessThan,
                _ => throw FailRequirement($"found '{o.Text}', expected: in, notin, =, ==, !=, gt, lt"),
            };
            values = op is SelectorOperator.In or SelectorOperator.NotIn ? ParseValueSet() : ParseExactValue();
        }

        var error = LabelRequirement.TryCreate(key, op, values, out var requirement);
        if (error != null) throw FailRequirement(error);
        return requirement!;
    }

    private List<string> ParseExactValue()
    {
        var t = PeekValue();
        if (t.Kind is Tok.End or Tok.Comma) return [""];
        t = NextValue();
        if (t.Kind == Tok.Identifier) return [t.Text];
        throw FailRequirement($"found '{t.Text}', expected: identifier");
    }

    // "(a,b)"; empty members ("()", "(a,)", "(,,)") stand for the empty value, as upstream.
    private List<string> ParseValueSet()
    {
        var open = NextValue();
        if (open.Kind != Tok.Open) throw FailRequirement($"found '{open.Text}', expected: '('");
        var values = new List<string>();
        var expectValue = true;
        while (true)
        {
            var t = NextValue();
            switch (t.Kind)
            {
                case Tok.Identifier when expectValue:
                    values.Add(t.Text);
                    expectValue = false;
                    break;
                case Tok.Comma:
                    if (expectValue) values.Add("");
                    expectValue = true;
                    break;
                case Tok.Close:
                    if (expectValue) values.Add("");
                    return values;
                case Tok.Identifier:
                    throw FailRequirement($"found '{t.Text}', expected: ',' or ')'");
                default:
                    throw FailRequirement($"found '{t.Text}', expected: ',', ')' or identifier");
            }
        }
    }
}
