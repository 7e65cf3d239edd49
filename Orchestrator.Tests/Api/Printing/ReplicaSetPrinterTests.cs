namespace Orchestrator.Tests.Api.Printing;

public class ReplicaSetPrinterTests
{
    [Theory]
    [InlineData("apps", "ReplicaSet")]
    [InlineData("", "ReplicationController")]
    public void Columns_SameForRsAndRc(string group, string kind) =>
        Assert.Equal("Name:0|Desired:0|Current:0|Ready:0|Age:0|Containers:1|Images:1|Selector:1", Print.Columns(group, kind));

    [Fact]
    public void ReplicaSet_ExpressionSelector()
    {
        var json = $$$$"""
            {"metadata":{"name":"web-rs","creationTimestamp":"{{{{Print.Minutes(90)}}}}"},
             "spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"env","operator":"In","values":["prod"]}]},
               "template":{"spec":{"containers":[{"name":"web","image":"nginx"}]}}},
             "status":{"replicas":5,"readyReplicas":3}}
            """;
        Assert.Equal("web-rs|5|5|3|90m|web|nginx|app=web,env in (prod)", Print.Row("apps", "ReplicaSet", json));
    }

    [Fact]
    public void ReplicationController_MapSelector()
    {
        var json = """
            {"metadata":{"name":"rc"},"spec":{"replicas":2,"selector":{"tier":"db","app":"pg"},
              "template":{"spec":{"containers":[{"name":"pg","image":"postgres:16"}]}}},"status":{"replicas":2,"readyReplicas":2}}
            """;
        Assert.Equal("rc|2|2|2|<unknown>|pg|postgres:16|app=pg,tier=db", Print.Row("", "ReplicationController", json));
    }

    [Fact]
    public void ReplicaSet_NoSelector_None() =>
        Assert.Equal("r|1|0|0|<unknown>|||<none>", Print.Row("apps", "ReplicaSet", """{"metadata":{"name":"r"}}"""));
}
