namespace Orchestrator.Tests.Api.Printing;

public class EventPrinterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("events.k8s.io")]
    public void Columns_CoreAndEventsApi(string group) =>
        Assert.Equal("Last Seen:0|Type:0|Reason:0|Object:0|Subobject:1|Source:1|Message:0|First Seen:1|Count:1|Name:1",
            Print.Columns(group, "Event"));

    [Fact]
    public void CoreEvent_FullRow()
    {
        var json = $$$$"""
            {"metadata":{"name":"web.17a2b","namespace":"default"},
             "involvedObject":{"kind":"Pod","name":"web","namespace":"default","fieldPath":"spec.containers{app}"},
             "reason":"Pulled","message":"  Successfully pulled image \"nginx\"\n","type":"Normal",
             "source":{"component":"kubelet","host":"node1"},
             "firstTimestamp":"{{{{Print.Minutes(8)}}}}","lastTimestamp":"{{{{Print.Minutes(2)}}}}","count":3}
            """;
        Assert.Equal("2m|Normal|Pulled|pod/web|spec.containers{app}|kubelet, node1|Successfully pulled image \"nginx\"|8m|3|web.17a2b",
            Print.Row("", "Event", json));
    }

    [Fact]
    public void CoreEvent_OnlyEventTime_SingletonCountOne()
    {
        var json = $$$$"""
            {"metadata":{"name":"e1"},"involvedObject":{"kind":"Node"},"reason":"Starting","type":"Normal",
             "reportingComponent":"kube-proxy","reportingInstance":"node1","eventTime":"{{{{Print.Ago(TimeSpan.FromSeconds(40))}}}}"}
            """;
        Assert.Equal("40s|Normal|Starting|node||kube-proxy, node1||40s|1|e1", Print.Row("", "Event", json));
    }

    [Fact]
    public void Series_OverridesLastSeenAndCount()
    {
        var json = $$$$"""
            {"metadata":{"name":"e2"},"involvedObject":{"kind":"Pod","name":"crash"},"reason":"BackOff","type":"Warning",
             "message":"Back-off restarting failed container","eventTime":"{{{{Print.Minutes(30)}}}}",
             "series":{"count":12,"lastObservedTime":"{{{{Print.Minutes(3)}}}}"}}
            """;
        Assert.Equal("3m|Warning|BackOff|pod/crash|||Back-off restarting failed container|30m|12|e2", Print.Row("", "Event", json));
    }

    [Fact]
    public void EventsApi_RegardingNoteDeprecatedFields()
    {
        var json = $$$$"""
            {"metadata":{"name":"e3"},"regarding":{"kind":"Deployment","name":"nginx"},"reason":"ScalingReplicaSet","type":"Normal",
             "note":"Scaled up replica set nginx-7c5 to 3","reportingController":"deployment-controller",
             "deprecatedFirstTimestamp":"{{{{Print.Minutes(20)}}}}","deprecatedLastTimestamp":"{{{{Print.Minutes(20)}}}}","deprecatedCount":1}
            """;
        Assert.Equal("20m|Normal|ScalingReplicaSet|deployment/nginx||deployment-controller|Scaled up replica set nginx-7c5 to 3|20m|1|e3",
            Print.Row("events.k8s.io", "Event", json));
    }

    [Fact]
    public void Empty_DoesNotThrow() => Assert.Equal("<unknown>|||||||<unknown>|1|", Print.Row("", "Event", "{}"));
}
