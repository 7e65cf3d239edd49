using System.Text;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Kubernetes' <c>$(VAR)</c> expansion of env values, command and args (upstream
/// <c>third_party/forked/golang/expansion</c>):
/// <code>
/// $(NAME)  → the value of NAME when it is defined, else "$(NAME)" unchanged
/// $$       → "$"            (so "$$(NAME)" is the literal "$(NAME)")
/// $(NAME   → unchanged      (no closing parenthesis)
/// $x       → unchanged      ("$" not followed by "(" or "$")
/// </code>
/// </summary>
public static class EnvVarExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        if (!input.Contains('$')) return input;
        var output = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c != '$' || i + 1 >= input.Length)
            {
                output.Append(c);
                i++;
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (next == '(')
            {
                var close = input.IndexOf(')', i + 2);
                if (close < 0)
                {
                    // An unterminated reference stays as written; the scan goes on after "$(".
                    output.Append("$(");
                    i += 2;
                    continue;
                }
                var name = input.Substring(i + 2, close - i - 2);
                output.Append(lookup(name) ?? "$(" + name + ")");
                i = close + 1;
            }
            else
            {
                output.Append('$').Append(next);
                i += 2;
            }
        }
        return output.ToString();
    }
}
