using Orchestrator.Core.Controllers.Nodes;

namespace Orchestrator.Tests.Core.Controllers.Nodes;

public sealed class PodCidrSetTests
{
    [Fact]
    public void Slash16_Into24s_InOrder()
    {
        var set = new PodCidrSet("10.244.0.0/16", 24);
        Assert.Equal(256, set.Capacity);
        Assert.Equal("10.244.0.0/24", set.Format(set.AllocateNext()!.Value));
        Assert.Equal("10.244.1.0/24", set.Format(set.AllocateNext()!.Value));
        Assert.Equal("10.244.255.0/24", set.Format(255));
    }

    [Fact]
    public void HostBitsInTheClusterCidr_AreIgnored()
    {
        var set = new PodCidrSet("10.244.7.9/16", 24);
        Assert.Equal("10.244.0.0/16", set.ClusterCidr);
    }

    [Fact]
    public void Occupied_AreSkipped_AndReleaseIsNotReusedAtOnce()
    {
        var set = new PodCidrSet("10.244.0.0/16", 24);
        Assert.True(set.TryOccupy("10.244.0.0/24", out var zero));
        Assert.Equal([0], zero);
        Assert.True(set.TryOccupy("10.244.2.0/24", out _));
        Assert.Equal(1, set.AllocateNext());
        Assert.Equal(3, set.AllocateNext());
        set.Release([1]);
        Assert.Equal(4, set.AllocateNext());
        Assert.False(set.IsUsed(1));
    }

    [Fact]
    public void Full_GivesNull_UntilReleased()
    {
        var set = new PodCidrSet("10.250.0.0/23", 24);
        Assert.Equal(0, set.AllocateNext());
        Assert.Equal(1, set.AllocateNext());
        Assert.Null(set.AllocateNext());
        set.Release([0]);
        Assert.Equal(0, set.AllocateNext());
    }

    [Fact]
    public void Overlaps_AreCounted_AndOutsideIsIgnored()
    {
        var set = new PodCidrSet("10.244.0.0/16", 24);
        Assert.True(set.TryOccupy("10.244.4.0/23", out var wide));
        Assert.Equal([4, 5], wide);
        Assert.True(set.TryOccupy("10.244.4.0/24", out _)); // a second node on the same subnet
        set.Release([4, 5]);
        Assert.True(set.IsUsed(4));
        Assert.False(set.IsUsed(5));
        Assert.False(set.TryOccupy("10.1.0.0/24", out _));
        Assert.False(set.TryOccupy("fd00::/64", out _));
        Assert.False(set.TryOccupy("junk", out _));
        Assert.True(set.TryOccupy("10.0.0.0/8", out var all)); // covers the whole cluster range
        Assert.Equal(256, all.Length);
    }

    [Fact]
    public void Ipv6_Into64s()
    {
        var set = new PodCidrSet("fd00:10::/56", 64);
        Assert.Equal(256, set.Capacity);
        Assert.Equal("fd00:10::/64", set.Format(set.AllocateNext()!.Value));
        Assert.Equal("fd00:10:0:1::/64", set.Format(set.AllocateNext()!.Value));
    }

    [Theory]
    [InlineData("10.244.0.0/16", 15)]
    [InlineData("10.244.0.0/16", 33)]
    [InlineData("10.0.0.0/8", 25)]
    [InlineData("nonsense", 24)]
    public void BadSettings_Throw(string cidr, int mask) =>
        Assert.Throws<ArgumentException>(() => new PodCidrSet(cidr, mask));
}
