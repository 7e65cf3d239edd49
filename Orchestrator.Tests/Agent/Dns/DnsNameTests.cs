using System.Net;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("example.com", "example.com.", 2)]
    [InlineData("example.com.", "example.com.", 2)]
    [InlineData(".", ".", 0)]
    [InlineData(@"a\.b.c", @"a\.b.c.", 2)]
    [InlineData(@"a\\b.c", @"a\\b.c.", 2)]
    [InlineData(@"a\032b.c", @"a\032b.c.", 2)]
    [InlineData(@"\065bc", "Abc.", 1)]
    [InlineData(@"x\000y", @"x\000y.", 1)]
    [InlineData(@"\255", @"\255.", 1)]
    public void Parse_Presentation_RoundTripsToString(string text, string expected, int labels)
    {
        var name = DnsName.Parse(text);
        Assert.Equal(expected, name.ToString());
        Assert.Equal(labels, name.LabelCount);
        Assert.Equal(name, DnsName.Parse(name.ToString()));
    }

    [Fact]
    public void Parse_EscapedDot_IsInsideTheLabel()
    {
        var name = DnsName.Parse(@"a\.b.c.");
        Assert.Equal(["a.b", "c"], name.Labels);
        Assert.Equal(1 + 3 + 1 + 1 + 1, name.WireLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("..")]
    [InlineData(".a")]
    [InlineData(@"a\")]
    [InlineData(@"a\25")]
    [InlineData(@"a\256")]
    [InlineData("bücher\u4e2d.de")]
    public void Parse_Invalid_Throws(string text)
    {
        Assert.Throws<FormatException>(() => DnsName.Parse(text));
        Assert.False(DnsName.TryParse(text, out _));
    }

    [Fact]
    public void Limits_LabelOf63AndNameOf255_AreTheMaximum()
    {
        var l63 = new string('a', 63);
        Assert.Equal(63, DnsName.Parse(l63).Labels[0].Length);
        Assert.Throws<FormatException>(() => DnsName.Parse(new string('a', 64)));

        // 4 labels of 63 = 4*64 + 1 = 257 > 255; 3 of 63 + one of 61 = 255 exactly.
        var max = $"{l63}.{l63}.{l63}.{new string('b', 61)}";
        Assert.Equal(255, DnsName.Parse(max).WireLength);
        Assert.Throws<FormatException>(() => DnsName.Parse(max + "b"));
        Assert.Throws<ArgumentException>(() => DnsName.FromLabels([l63, l63, l63, l63]));
    }

    [Fact]
    public void Equality_IsAsciiCaseInsensitive_ButNotForOtherOctets()
    {
        Assert.Equal(DnsName.Parse("My-Svc.Default.SVC.cluster.local"), DnsName.Parse("my-svc.default.svc.cluster.local"));
        Assert.Equal(DnsName.Parse("A.b").GetHashCode(), DnsName.Parse("a.B").GetHashCode());
        Assert.NotEqual(DnsName.Parse(@"\192"), DnsName.Parse(@"\224")); // 'À' vs 'à' in Latin-1: not DNS case
        Assert.NotEqual(DnsName.Parse(@"a\.b"), DnsName.Parse("a.b"));
        Assert.True(DnsName.Parse("a.B") == DnsName.Parse("A.b"));
    }

    [Fact]
    public void ToCanonical_LowerCasesAsciiOnly()
    {
        Assert.Equal(@"my-svc.ns\192.", DnsName.Parse(@"My-Svc.NS\192").ToCanonical().ToString());
        var lower = DnsName.Parse("a.b");
        Assert.Same(lower, lower.ToCanonical());
    }

    [Fact]
    public void SubdomainParentPrepend()
    {
        var zone = DnsName.Parse("cluster.local");
        var name = DnsName.Parse("svc.NS.svc.Cluster.Local");
        Assert.True(name.IsSubdomainOf(zone));
        Assert.True(zone.IsSubdomainOf(zone));
        Assert.True(name.IsSubdomainOf(DnsName.Root));
        Assert.False(zone.IsSubdomainOf(name));
        Assert.False(DnsName.Parse("xcluster.local").IsSubdomainOf(zone));
        Assert.Equal(zone, name.Parent(3));
        Assert.Equal(name, name.Parent(3).Prepend("svc").Prepend("ns").Prepend("svc"));
        Assert.Equal(DnsName.Root, zone.Parent(2));
    }

    [Theory]
    [InlineData("1.2.3.4", "4.3.2.1.in-addr.arpa.")]
    [InlineData("10.96.0.10", "10.0.96.10.in-addr.arpa.")]
    [InlineData("0.0.0.0", "0.0.0.0.in-addr.arpa.")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")]
    [InlineData("fd00::abcd", "d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.")]
    public void ReverseName_BothWays(string ip, string reverse)
    {
        var address = IPAddress.Parse(ip);
        Assert.Equal(reverse, DnsReverseName.FromAddress(address).ToString());
        Assert.True(DnsReverseName.TryParseAddress(DnsName.Parse(reverse.ToUpperInvariant()), out var parsed));
        Assert.Equal(address, parsed);
    }

    [Fact]
    public void ReverseName_MappedIPv4_UsesInAddrArpa() =>
        Assert.Equal("4.3.2.1.in-addr.arpa.", DnsReverseName.FromAddress(IPAddress.Parse("::ffff:1.2.3.4")).ToString());

    [Theory]
    [InlineData("3.2.1.in-addr.arpa")]
    [InlineData("256.3.2.1.in-addr.arpa")]
    [InlineData("04.3.2.1.in-addr.arpa")]
    [InlineData("a.3.2.1.in-addr.arpa")]
    [InlineData("4.3.2.1.in-addr.arpa.com")]
    [InlineData("4.3.2.1.ip6.arpa")]
    [InlineData("10.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.ip6.arpa")]
    [InlineData("g.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    [InlineData("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void ReverseName_NotAnAddress_IsRejected(string name) =>
        Assert.False(DnsReverseName.TryParseAddress(DnsName.Parse(name), out _));
}
