using System.Net;
using Orchestrator.Core.Networking;

namespace Orchestrator.Tests.Core.Networking;

public class ServiceIpAllocatorTests
{
    private static ServiceIpAllocator New(string cidr = "10.96.0.0/12", int seed = 1) => new(cidr, new Random(seed));

    [Fact]
    public void Ctor_Slash12_SizeAndStaticBand()
    {
        var a = New();
        Assert.Equal((1L << 20) - 2, a.Size);
        Assert.Equal(256, a.StaticBandSize);
        Assert.Equal("10.96.0.0/12", a.Cidr);
    }

    [Fact]
    public void Ctor_HostBitsSet_NormalizesToNetwork()
    {
        Assert.Equal("10.96.0.0/12", New("10.100.1.2/12").Cidr);
    }

    [Theory]
    [InlineData("10.96.0.0", false)]
    [InlineData("10.111.255.255", false)]
    [InlineData("10.96.0.1", true)]
    [InlineData("10.111.255.254", true)]
    [InlineData("10.112.0.0", false)]
    [InlineData("10.0.0.5", false)]
    public void TryAllocate_RangeEdges(string ip, bool ok)
    {
        var a = New();
        Assert.Equal(ok, a.TryAllocate(IPAddress.Parse(ip), out var error));
        if (!ok) Assert.Equal($"the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12", error);
    }

    [Fact]
    public void TryAllocate_Twice_AlreadyAllocated()
    {
        var a = New();
        Assert.True(a.TryAllocate(IPAddress.Parse("10.96.0.10"), out _));
        Assert.False(a.TryAllocate(IPAddress.Parse("10.96.0.10"), out var error));
        Assert.Equal("provided IP is already allocated", error);
    }

    [Fact]
    public void Release_MakesAddressAvailableAgain()
    {
        var a = New();
        var ip = IPAddress.Parse("10.96.5.5");
        Assert.True(a.TryAllocate(ip, out _));
        a.Release(ip);
        Assert.False(a.IsAllocated(ip));
        Assert.True(a.TryAllocate(ip, out _));
    }

    [Fact]
    public void AllocateNext_NeverUsesStaticBandWhileUpperBandFree()
    {
        var a = New();
        for (var i = 0; i < 2000; i++)
        {
            var ip = a.AllocateNext()!;
            var bytes = ip.GetAddressBytes();
            var offset = ((bytes[1] - 96) << 16) | (bytes[2] << 8) | bytes[3];
            Assert.True(offset > 256, $"{ip} is in the static band");
        }
        Assert.False(a.IsAllocated(IPAddress.Parse("10.96.0.1")));
        Assert.False(a.IsAllocated(IPAddress.Parse("10.96.0.10")));
    }

    [Fact]
    public void AllocateNext_SmallRange_FillsUpperThenLowerThenNull()
    {
        // /27: 30 usable addresses, static band 16 (the minimum), upper band 14.
        var a = New("192.168.0.0/27");
        Assert.Equal(30, a.Size);
        Assert.Equal(16, a.StaticBandSize);
        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var ip = a.AllocateNext();
            Assert.NotNull(ip);
            Assert.True(seen.Add(ip.ToString()));
            var last = ip.GetAddressBytes()[3];
            Assert.InRange(last, 1, 30);
            if (i < 14) Assert.True(last > 16, $"{ip} allocated from the lower band before the upper band was full");
        }
        Assert.Null(a.AllocateNext());
    }

    [Fact]
    public void AllocateNext_SkipsRequestedAddresses()
    {
        var a = New("192.168.0.0/29"); // 6 usable, band would exceed the range, so no band
        Assert.True(a.TryAllocate(IPAddress.Parse("192.168.0.3"), out _));
        var got = Enumerable.Range(0, 5).Select(_ => a.AllocateNext()!.ToString()).ToHashSet();
        Assert.DoesNotContain("192.168.0.3", got);
        Assert.Null(a.AllocateNext());
    }

    [Fact]
    public void Ipv6_Range_ExcludesOnlyNetworkAddress()
    {
        var a = New("fd00:10:96::/112");
        Assert.Equal(65535, a.Size);
        Assert.False(a.TryAllocate(IPAddress.Parse("fd00:10:96::"), out _));
        Assert.True(a.TryAllocate(IPAddress.Parse("fd00:10:96::ffff"), out _));
        Assert.False(a.TryAllocate(IPAddress.Parse("10.96.0.1"), out _));
    }

    [Fact]
    public void ConcurrentAllocations_AreUnique()
    {
        var a = New("10.0.0.0/20");
        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 2000, _ => results.Add(a.AllocateNext()!.ToString()));
        Assert.Equal(2000, results.Distinct().Count());
        Assert.Equal(2000, a.Used);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var a = New();
        a.AllocateNext();
        a.Clear();
        Assert.Equal(0, a.Used);
    }
}
