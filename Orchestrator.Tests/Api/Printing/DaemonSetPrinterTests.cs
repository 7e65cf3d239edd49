namespace Orchestrator.Tests.Api.Printing;

public class DaemonSetPrinterTests
{
    [Fact]
    public void Columns() =>
        Assert.Equal("Name:0|Desired:0|Current:0|Ready:0|Up-to-date:0|Available:0|Node Selector:0|Age:0|Containers:1|Images:1|Selector:1",
            Print.Columns("apps", "DaemonSet"));

    [Fact]
    public void Row_CountsAndNodeSelector()
    {
        var json = $$$$"""
            {"metadata":{"name":"fluentd","creationTimestamp":"{{{{Print.Ago(TimeSpan.FromHours(30))}}}}"},
             "spec":{"selector":{"matchLabels":{"name":"fluentd"}},
               "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},"containers":[{"name":"fluentd","image":"fluentd:v1"}]}}},
             "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":3,"numberAvailable":2}}
            """;
        Assert.Equal("fluentd|3|3|2|3|2|kubernetes.io/os=linux|30h|fluentd|fluentd:v1|name=fluentd", Print.Row("apps", "DaemonSet", json));
    }

    [Fact]
    public void Empty_ZerosAndNone() =>
        Assert.Equal("d|0|0|0|0|0|<none>|<unknown>|||<none>", Print.Row("apps", "DaemonSet", """{"metadata":{"name":"d"}}"""));
}
