using Orchestrator.Core.Networking;

namespace Orchestrator.Tests.Core.Networking;

public class NodePortAllocatorTests
{
    private static NodePortAllocator New(int seed = 1) => NodePortAllocator.FromRange("30000-32767", new Random(seed));

    [Fact]
    public void FromRange_Default_SizeAndBand()
    {
        var a = New();
        Assert.Equal(30000, a.Base);
        Assert.Equal(2768, a.Size);
        Assert.Equal(86, a.StaticBandSize);
        Assert.Equal("30000-32767", a.Range);
    }

    [Theory]
    [InlineData(29999)]
    [InlineData(32768)]
    [InlineData(80)]
    public void TryAllocate_OutOfRange(int port)
    {
        Assert.False(New().TryAllocate(port, out var error));
        Assert.Equal("provided port is not in the valid range. The range of valid ports is 30000-32767", error);
    }

    [Fact]
    public void TryAllocate_Taken_AlreadyAllocated()
    {
        var a = New();
        Assert.True(a.TryAllocate(30007, out _));
        Assert.False(a.TryAllocate(30007, out var error));
        Assert.Equal("provided port is already allocated", error);
        a.Release(30007);
        Assert.True(a.TryAllocate(30007, out _));
    }

    [Fact]
    public void AllocateNext_PrefersUpperBand()
    {
        var a = New();
        for (var i = 0; i < 2768 - 86; i++)
            Assert.True(a.AllocateNext() >= 30086);
        // Upper band exhausted: falls back to the band kept for requested ports.
        var next = a.AllocateNext();
        Assert.InRange(next!.Value, 30000, 30085);
    }

    [Fact]
    public void AllocateNext_Full_ReturnsNull()
    {
        var a = NodePortAllocator.FromRange("30000-30009", new Random(3));
        for (var i = 0; i < 10; i++) Assert.NotNull(a.AllocateNext());
        Assert.Null(a.AllocateNext());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("3-1")]
    [InlineData("30000")]
    [InlineData("0-10")]
    public void FromRange_Invalid_Throws(string range) =>
        Assert.Throws<ArgumentException>(() => NodePortAllocator.FromRange(range, new Random()));

    [Fact]
    public void ConcurrentAllocations_AreUnique()
    {
        var a = New();
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 1000, _ => results.Add(a.AllocateNext()!.Value));
        Assert.Equal(1000, results.Distinct().Count());
    }
}
