namespace Orchestrator.Tests.Api.Printing;

public class PodPrinterTests
{
    private static string Row(string json) => Print.Row("", "Pod", json);

    private static readonly string Created = Print.Minutes(10);

    [Fact]
    public void Columns_WideOnesHavePriorityOne() =>
        Assert.Equal("Name:0|Ready:0|Status:0|Restarts:0|Age:0|IP:1|Node:1|Nominated Node:1|Readiness Gates:1",
            Print.Columns("", "Pod"));

    [Fact]
    public void Running_OneRestart_ShowsTimeSinceRestart()
    {
        var json = $$$$"""
            {"metadata":{"name":"web","namespace":"default","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"nodeName":"node1","containers":[{"name":"app","image":"nginx"}]},
             "status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
               "conditions":[{"type":"Ready","status":"True"}],
               "containerStatuses":[{"name":"app","ready":true,"restartCount":1,"state":{"running":{"startedAt":"{{{{Print.Minutes(5)}}}}"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"{{{{Print.Minutes(5)}}}}"}}}]}}
            """;
        Assert.Equal("web|1/1|Running|1 (5m ago)|10m|10.244.0.5|node1|<none>|<none>", Row(json));
    }

    [Fact]
    public void CrashLoopBackOff_WaitingReasonWins()
    {
        var json = $$$$"""
            {"metadata":{"name":"crash","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"nodeName":"node1","containers":[{"name":"app"}]},
             "status":{"phase":"Running","podIP":"10.244.0.7",
               "containerStatuses":[{"name":"app","ready":false,"restartCount":4,
                 "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"{{{{Print.Ago(TimeSpan.FromSeconds(30))}}}}"}}}]}}
            """;
        Assert.Equal("crash|0/1|CrashLoopBackOff|4 (30s ago)|10m|10.244.0.7|node1|<none>|<none>", Row(json));
    }

    [Fact]
    public void DeletionTimestamp_Terminating()
    {
        var json = $$$$"""
            {"metadata":{"name":"w1","creationTimestamp":"{{{{Created}}}}","deletionTimestamp":"{{{{Print.Minutes(0)}}}}"},
             "spec":{"nodeName":"node1","containers":[{"name":"app"}]},
             "status":{"phase":"Running","podIP":"10.244.0.8",
               "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """;
        Assert.Equal("w1|1/1|Terminating|0|10m|10.244.0.8|node1|<none>|<none>", Row(json));
    }

    [Fact]
    public void DeletionTimestamp_SucceededPod_KeepsCompleted()
    {
        var json = $$$$"""
            {"metadata":{"name":"done","creationTimestamp":"{{{{Created}}}}","deletionTimestamp":"{{{{Print.Minutes(0)}}}}"},
             "spec":{"containers":[{"name":"app"}]},
             "status":{"phase":"Succeeded",
               "containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}
            """;
        Assert.StartsWith("done|0/1|Completed|0|10m|", Row(json));
    }

    [Fact]
    public void NodeLost_WhileDeleting_Unknown()
    {
        var json = $$$$"""
            {"metadata":{"name":"lost","creationTimestamp":"{{{{Created}}}}","deletionTimestamp":"{{{{Print.Minutes(0)}}}}"},
             "spec":{"containers":[{"name":"app"}]},"status":{"phase":"Running","reason":"NodeLost"}}
            """;
        Assert.StartsWith("lost|0/1|Unknown|", Row(json));
    }

    [Fact]
    public void Succeeded_Completed()
    {
        var json = $$$$"""
            {"metadata":{"name":"debug","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"nodeName":"node1","restartPolicy":"Never","containers":[{"name":"debug"}]},
             "status":{"phase":"Succeeded","podIP":"10.244.0.9",
               "containerStatuses":[{"name":"debug","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}
            """;
        Assert.Equal("debug|0/1|Completed|0|10m|10.244.0.9|node1|<none>|<none>", Row(json));
    }

    [Fact]
    public void ContainerCreating_PendingWithWaitingReason()
    {
        var json = $$$$"""
            {"metadata":{"name":"w1","creationTimestamp":"{{{{Print.Ago(TimeSpan.FromSeconds(1))}}}}"},
             "spec":{"nodeName":"node1","containers":[{"name":"app"}]},
             "status":{"phase":"Pending",
               "containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}
            """;
        Assert.Equal("w1|0/1|ContainerCreating|0|1s|<none>|node1|<none>|<none>", Row(json));
    }

    [Fact]
    public void Pending_Unscheduled_NoStatuses()
    {
        var json = $$$$"""
            {"metadata":{"name":"p","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"containers":[{"name":"a"},{"name":"b"}]},
             "status":{"phase":"Pending","nominatedNodeName":"node2"}}
            """;
        Assert.Equal("p|0/2|Pending|0|10m|<none>|<none>|node2|<none>", Row(json));
    }

    [Fact]
    public void InitContainers_SecondRunning_InitOneOfTwo()
    {
        var json = $$$$"""
            {"metadata":{"name":"i","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending",
               "initContainerStatuses":[
                 {"name":"i1","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                 {"name":"i2","ready":false,"restartCount":0,"state":{"running":{}}}],
               "containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}
            """;
        Assert.StartsWith("i|0/1|Init:1/2|0|", Row(json));
    }

    [Fact]
    public void InitContainer_NotStarted_InitZeroOfOne()
    {
        var json = $$$$"""
            {"metadata":{"name":"i","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending",
               "initContainerStatuses":[{"name":"i1","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}
            """;
        Assert.StartsWith("i|0/1|Init:0/1|0|", Row(json));
    }

    [Theory]
    [InlineData("""{"waiting":{"reason":"CrashLoopBackOff"}}""", "Init:CrashLoopBackOff")]
    [InlineData("""{"terminated":{"exitCode":1,"reason":"Error"}}""", "Init:Error")]
    [InlineData("""{"terminated":{"exitCode":2}}""", "Init:ExitCode:2")]
    [InlineData("""{"terminated":{"exitCode":137,"signal":9}}""", "Init:Signal:9")]
    public void InitContainer_Failing_InitReason(string state, string expected)
    {
        var json = $$$$"""
            {"metadata":{"name":"i","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending","initContainerStatuses":[{"name":"i1","restartCount":3,"state":{{{{state}}}}}]}}
            """;
        Assert.StartsWith($"i|0/1|{expected}|3|", Row(json));
    }

    [Fact]
    public void TerminatedWithoutReason_ExitCode()
    {
        var json = $$$$"""
            {"metadata":{"name":"x","creationTimestamp":"{{{{Created}}}}"},"spec":{"containers":[{"name":"a"}]},
             "status":{"phase":"Failed","containerStatuses":[{"name":"a","restartCount":0,"state":{"terminated":{"exitCode":137}}}]}}
            """;
        Assert.StartsWith("x|0/1|ExitCode:137|0|", Row(json));
    }

    [Fact]
    public void Sidecar_CountsAsContainer_AndItsRestarts()
    {
        var json = $$$$"""
            {"metadata":{"name":"s","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
               "initContainerStatuses":[{"name":"proxy","ready":true,"started":true,"restartCount":2,"state":{"running":{}},
                 "lastState":{"terminated":{"exitCode":1,"finishedAt":"{{{{Print.Minutes(3)}}}}"}}}],
               "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """;
        Assert.StartsWith("s|2/2|Running|2 (3m ago)|10m|", Row(json));
    }

    [Fact]
    public void CompletedContainerBesideRunningOne_Running()
    {
        var json = $$$$"""
            {"metadata":{"name":"m","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"containers":[{"name":"a"},{"name":"b"}]},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
               "containerStatuses":[
                 {"name":"a","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                 {"name":"b","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """;
        Assert.StartsWith("m|1/2|Running|0|", Row(json));
    }

    [Fact]
    public void ReadinessGates_CountsTrueConditions()
    {
        var json = $$$$"""
            {"metadata":{"name":"g","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"containers":[{"name":"a"}],"readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}]},
             "status":{"phase":"Running","conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"False"}]}}
            """;
        Assert.EndsWith("|1/2", Row(json));
    }

    [Fact]
    public void SchedulingGated_FromCondition()
    {
        var json = """
            {"metadata":{"name":"gated"},"spec":{"containers":[{"name":"a"}]},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}}
            """;
        Assert.StartsWith("gated|0/1|SchedulingGated|0|<unknown>|", Row(json));
    }

    [Fact]
    public void EmptyObject_DoesNotThrow() =>
        Assert.Equal("|0/0||0|<unknown>|<none>|<none>|<none>|<none>", Row("{}"));
}
