using Orchestrator.Agent.Node;

namespace Orchestrator.Tests.Agent.Node;

public sealed class NodeTokenTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Fact]
    public void Parse_ServerFormat_SplitsHashAndSecret()
    {
        var hash = NodeToken.HashOf(Pem);
        var token = NodeToken.Parse($"K10{hash}::node:s3cr3t:with:colons\n");
        Assert.Equal(hash, token.CaHash);
        Assert.Equal("s3cr3t:with:colons", token.Secret);
        Assert.True(token.Matches(Pem));
    }

    [Fact]
    public void HashOf_IsSha256OfThePemText()
    {
        // echo -n 'abc' | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", NodeToken.HashOf("abc"));
    }

    [Fact]
    public void Matches_OtherPem_False()
    {
        var token = NodeToken.Parse($"K10{NodeToken.HashOf(Pem)}::node:x");
        Assert.False(token.Matches(Pem.Replace("MIIB", "MIIC")));
        Assert.False(token.Matches(Pem.TrimEnd('\n'))); // the exact text is hashed, as the server does
    }

    [Fact]
    public void Parse_UpperCaseHash_ComparesCaseInsensitively()
    {
        var token = NodeToken.Parse($"K10{NodeToken.HashOf(Pem).ToUpperInvariant()}::node:x");
        Assert.True(token.Matches(Pem));
    }

    [Theory]
    [InlineData("", "does not start with K10")]
    [InlineData("K11abcd::node:x", "does not start with K10")]
    [InlineData("K10abcd::server:x", "no '::node:' part")]
    [InlineData("K10abcd::node:x", "not 64 hex digits")]
    [InlineData("K10zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz::node:x", "not 64 hex digits")]
    [InlineData("K10ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad::node:", "secret is empty")]
    public void Parse_Malformed_ThrowsWithReason(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => NodeToken.Parse(text));
        Assert.Contains(expected, ex.Message);
    }
}
