namespace Orchestrator.Tests.Api.Printing;

/// <summary>Kinds whose rows are a name, one or two counts or strings, and an age.</summary>
public class SimplePrinterTests
{
    private static readonly string Created = Print.Minutes(7);

    [Theory]
    [InlineData("", "Namespace", "Name:0|Status:0|Age:0")]
    [InlineData("", "ConfigMap", "Name:0|Data:0|Age:0")]
    [InlineData("", "Secret", "Name:0|Type:0|Data:0|Age:0")]
    [InlineData("", "ServiceAccount", "Name:0|Secrets:0|Age:0")]
    [InlineData("coordination.k8s.io", "Lease", "Name:0|Holder:0|Age:0")]
    [InlineData("apps", "ControllerRevision", "Name:0|Controller:0|Revision:0|Age:0")]
    [InlineData("", "ResourceQuota", "Name:0|Request:0|Limit:0|Age:0")]
    [InlineData("", "LimitRange", "Name:0|Created At:0")]
    public void Columns(string group, string kind, string expected) => Assert.Equal(expected, Print.Columns(group, kind));

    [Fact]
    public void Namespace_Phase() =>
        Assert.Equal("kube-system|Active|7m",
            Print.Row("", "Namespace", $$$$"""{"metadata":{"name":"kube-system","creationTimestamp":"{{{{Created}}}}"},"status":{"phase":"Active"}}"""));

    [Fact]
    public void Namespace_Terminating() =>
        Assert.Equal("old|Terminating|<unknown>", Print.Row("", "Namespace", """{"metadata":{"name":"old"},"status":{"phase":"Terminating"}}"""));

    [Fact]
    public void ConfigMap_CountsDataAndBinaryData() =>
        Assert.Equal("cfg|3|7m",
            Print.Row("", "ConfigMap", $$$$"""{"metadata":{"name":"cfg","creationTimestamp":"{{{{Created}}}}"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}"""));

    [Fact]
    public void ConfigMap_Empty_Zero() => Assert.Equal("c|0|<unknown>", Print.Row("", "ConfigMap", """{"metadata":{"name":"c"}}"""));

    [Fact]
    public void Secret_TypeAndCount() =>
        Assert.Equal("tls|kubernetes.io/tls|2|7m",
            Print.Row("", "Secret", $$$$"""{"metadata":{"name":"tls","creationTimestamp":"{{{{Created}}}}"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}"""));

    [Fact]
    public void ServiceAccount_SecretsCount()
    {
        Assert.Equal("default|0|7m", Print.Row("", "ServiceAccount", $$$$"""{"metadata":{"name":"default","creationTimestamp":"{{{{Created}}}}"}}"""));
        Assert.Equal("bot|1|<unknown>", Print.Row("", "ServiceAccount", """{"metadata":{"name":"bot"},"secrets":[{"name":"bot-token"}]}"""));
    }

    [Fact]
    public void Lease_Holder()
    {
        Assert.Equal("kube-scheduler|node1_1234|7m",
            Print.Row("coordination.k8s.io", "Lease", $$$$"""{"metadata":{"name":"kube-scheduler","creationTimestamp":"{{{{Created}}}}"},"spec":{"holderIdentity":"node1_1234"}}"""));
        Assert.Equal("free||<unknown>", Print.Row("coordination.k8s.io", "Lease", """{"metadata":{"name":"free"},"spec":{}}"""));
    }

    [Fact]
    public void ControllerRevision_ControllerAsGroupKindName()
    {
        var json = $$$$"""
            {"metadata":{"name":"fluentd-5d7f","creationTimestamp":"{{{{Created}}}}",
               "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"fluentd","uid":"u","controller":true}]},"revision":2}
            """;
        Assert.Equal("fluentd-5d7f|daemonset.apps/fluentd|2|7m", Print.Row("apps", "ControllerRevision", json));
        Assert.Equal("cr|<none>|0|<unknown>", Print.Row("apps", "ControllerRevision", """{"metadata":{"name":"cr"}}"""));
    }

    [Fact]
    public void ResourceQuota_RequestsAndLimitsSplit()
    {
        var json = $$$$"""
            {"metadata":{"name":"q","creationTimestamp":"{{{{Created}}}}"},
             "status":{"hard":{"pods":"10","requests.cpu":"2","limits.memory":"2Gi","limits.cpu":"4"},
                       "used":{"pods":"3","requests.cpu":"500m","limits.cpu":"1"}}}
            """;
        Assert.Equal("q|pods: 3/10, requests.cpu: 500m/2|limits.cpu: 1/4, limits.memory: 0/2Gi|7m", Print.Row("", "ResourceQuota", json));
    }

    [Fact]
    public void LimitRange_CreatedAtDate() =>
        Assert.Equal("lr|2026-11-22T01:53:00Z",
            Print.Row("", "LimitRange", $$$$"""{"metadata":{"name":"lr","creationTimestamp":"{{{{Created}}}}"}}"""));

    [Fact]
    public void LimitRange_NoTimestamp_ZeroTime() =>
        Assert.Equal("lr|0001-01-01T00:00:00Z", Print.Row("", "LimitRange", """{"metadata":{"name":"lr"}}"""));
}
