using Orchestrator.Agent.Node;

namespace Orchestrator.Tests.Agent.Node;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(5, 3200)]
    [InlineData(6, 5000)]
    [InlineData(100, 5000)]
    public void Delay_DoublesUpToTheInterval(int failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryBackoff.Delay(failures, TimeSpan.FromSeconds(5)));
}
