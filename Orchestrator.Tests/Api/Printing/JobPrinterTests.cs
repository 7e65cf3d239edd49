namespace Orchestrator.Tests.Api.Printing;

public class JobPrinterTests
{
    private static string Row(string json) => Print.Row("batch", "Job", json);

    [Fact]
    public void Columns() =>
        Assert.Equal("Name:0|Status:0|Completions:0|Duration:0|Age:0|Containers:1|Images:1|Selector:1", Print.Columns("batch", "Job"));

    [Fact]
    public void Complete_DurationFromStartToCompletion()
    {
        var json = $$$$"""
            {"metadata":{"name":"pi","creationTimestamp":"{{{{Print.Minutes(10)}}}}"},
             "spec":{"completions":1,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"abc"}},
               "template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34"}]}}},
             "status":{"succeeded":1,"startTime":"{{{{Print.Minutes(10)}}}}","completionTime":"{{{{Print.Minutes(9.5)}}}}",
               "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}
            """;
        Assert.Equal("pi|Complete|1/1|30s|10m|pi|perl:5.34|batch.kubernetes.io/controller-uid=abc", Row(json));
    }

    [Fact]
    public void Running_DurationUntilNow()
    {
        var json = $$$$"""
            {"metadata":{"name":"j","creationTimestamp":"{{{{Print.Minutes(3)}}}}"},"spec":{"completions":3},
             "status":{"succeeded":1,"active":1,"startTime":"{{{{Print.Minutes(3)}}}}"}}
            """;
        Assert.StartsWith("j|Running|1/3|3m|3m|", Row(json));
    }

    [Theory]
    [InlineData("""[{"type":"Failed","status":"True"}]""", "Failed")]
    [InlineData("""[{"type":"Suspended","status":"True"}]""", "Suspended")]
    [InlineData("""[{"type":"Suspended","status":"False"}]""", "Running")]
    [InlineData("""[{"type":"FailureTarget","status":"True"}]""", "FailureTarget")]
    [InlineData("""[{"type":"SuccessCriteriaMet","status":"True"}]""", "Running")]
    public void Status_FromConditions(string conditions, string expected) =>
        Assert.StartsWith($"j|{expected}|",
            Row("""{"metadata":{"name":"j"},"spec":{"completions":1},"status":{"conditions":COND}}""".Replace("COND", conditions)));

    [Fact]
    public void Deleting_Terminating_UnlessFinished()
    {
        Assert.StartsWith("j|Terminating|",
            Row("""{"metadata":{"name":"j","deletionTimestamp":"2026-11-22T01:59:00Z"},"spec":{"completions":1}}"""));
        Assert.StartsWith("j|Complete|",
            Row("""{"metadata":{"name":"j","deletionTimestamp":"2026-11-22T01:59:00Z"},"spec":{"completions":1},"status":{"conditions":[{"type":"Complete","status":"True"}]}}"""));
    }

    [Fact]
    public void WorkQueue_ParallelismShown()
    {
        Assert.StartsWith("q|Running|2/1 of 4||", Row("""{"metadata":{"name":"q"},"spec":{"parallelism":4},"status":{"succeeded":2}}"""));
        Assert.StartsWith("q|Running|0/1||", Row("""{"metadata":{"name":"q"},"spec":{"parallelism":1}}"""));
    }

    [Fact]
    public void Empty_DoesNotThrow() => Assert.Equal("|Running|0/1||<unknown>|||<none>", Row("{}"));
}
