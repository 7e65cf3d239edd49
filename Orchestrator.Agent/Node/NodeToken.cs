using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Agent.Node;

/// <summary>
/// The server's node-token, as k3s writes it: <c>K10&lt;sha256-hex of the /cacerts PEM text&gt;::node:&lt;secret&gt;</c>.
/// The hash lets an agent that trusts nothing yet check the CA it downloads; the secret buys a per-node credential.
/// </summary>
public sealed record NodeToken(string CaHash, string Secret)
{
    private const string Prefix = "K10";
    private const string Separator = "::node:";

    /// <summary>Parses the token text (surrounding whitespace, e.g. the file's trailing newline, is ignored).</summary>
    public static NodeToken Parse(string text)
    {
        var token = text.Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
            throw new FormatException("the node token does not start with K10 (expected K10<ca-sha256>::node:<secret>)");
        var sep = token.IndexOf(Separator, StringComparison.Ordinal);
        if (sep < 0)
            throw new FormatException("the node token has no '::node:' part (expected K10<ca-sha256>::node:<secret>)");
        var hash = token[Prefix.Length..sep].ToLowerInvariant();
        var secret = token[(sep + Separator.Length)..];
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            throw new FormatException("the node token's CA hash is not 64 hex digits (a SHA-256)");
        if (secret.Length == 0)
            throw new FormatException("the node token's secret is empty");
        return new NodeToken(hash, secret);
    }

    /// <summary>The SHA-256 (lower-case hex) of the PEM text exactly as the server sent it.</summary>
    public static string HashOf(string caPem) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caPem)));

    /// <summary>True when <paramref name="caPem"/> is the CA this token was issued for.</summary>
    public bool Matches(string caPem) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(caPem)), Encoding.ASCII.GetBytes(CaHash));
}
