using System.Text.Json.Nodes;
using Orchestrator.Core.Scheduling;

namespace Orchestrator.Tests.Core.Scheduling;

public class QuantityTests
{
    [Theory]
    [InlineData("1", 1000, 1)]
    [InlineData("0", 0, 0)]
    [InlineData("100m", 100, 1)]
    [InlineData("1500m", 1500, 2)]
    [InlineData("0.5", 500, 1)]
    [InlineData(".5", 500, 1)]
    [InlineData("2.", 2000, 2)]
    [InlineData("+3", 3000, 3)]
    [InlineData("1k", 1_000_000, 1000)]
    [InlineData("1Ki", 1_024_000, 1024)]
    [InlineData("1M", 1_000_000_000, 1_000_000)]
    [InlineData("1Mi", 1_048_576_000, 1_048_576)]
    [InlineData("128974848", 128_974_848_000, 128_974_848)]
    [InlineData("129e6", 129_000_000_000, 129_000_000)]
    [InlineData("129M", 129_000_000_000, 129_000_000)]
    [InlineData("123Mi", 128_974_848_000, 128_974_848)]
    [InlineData("1G", 1_000_000_000_000, 1_000_000_000)]
    [InlineData("8Gi", 8_589_934_592_000, 8_589_934_592)]
    [InlineData("1.5Gi", 1_610_612_736_000, 1_610_612_736)]
    [InlineData("1T", 1_000_000_000_000_000, 1_000_000_000_000)]
    [InlineData("1Ti", 1_099_511_627_776_000, 1_099_511_627_776)]
    [InlineData("2E-3", 2, 1)]
    [InlineData("1e3", 1_000_000, 1000)]
    [InlineData("1E+2", 100_000, 100)]
    [InlineData("500u", 1, 1)]
    [InlineData("250000n", 1, 1)]
    [InlineData("0.1m", 1, 1)]
    public void Parse_Valid_MilliAndWholeValuesRoundUp(string text, long milli, long value)
    {
        var q = Quantity.Parse(text);
        Assert.Equal(milli, q.MilliValue);
        Assert.Equal(value, q.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("1.2.3")]
    [InlineData("Mi")]
    [InlineData("1 Mi")]
    [InlineData("1mi")]
    [InlineData("1e")]
    [InlineData("1e99")]
    [InlineData("--1")]
    [InlineData(".")]
    public void TryParse_Invalid_False(string text)
    {
        Assert.False(Quantity.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Quantity.Parse(text));
    }

    [Fact]
    public void FromJson_NumbersAndStrings()
    {
        Assert.Equal(2000, Quantity.FromJson(JsonValue.Create(2))!.Value.MilliValue);
        Assert.Equal(500, Quantity.FromJson(JsonValue.Create(0.5))!.Value.MilliValue);
        Assert.Equal(250, Quantity.FromJson(JsonValue.Create("250m"))!.Value.MilliValue);
        Assert.Null(Quantity.FromJson(JsonValue.Create("nope")));
        Assert.Null(Quantity.FromJson(null));
    }

    [Fact]
    public void Requests_SumOfContainersRaisedToLargestInitContainer_LimitsStandInForMissingRequests()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p"},"spec":{
              "initContainers":[{"name":"i","resources":{"requests":{"cpu":"3","memory":"64Mi"}}}],
              "containers":[
                {"name":"a","resources":{"requests":{"cpu":"500m","memory":"128Mi"}}},
                {"name":"b","resources":{"limits":{"cpu":"1","memory":"256Mi","nvidia.com/gpu":"1"}}}],
              "overhead":{"cpu":"100m"}}}
            """)!.AsObject();
        var r = PodResources.Requests(pod);
        Assert.Equal(3100, r[ResourceList.Cpu]);
        Assert.Equal(384L * 1024 * 1024, r[ResourceList.Memory]);
        Assert.Equal(1, r["nvidia.com/gpu"]);
    }
}
