using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Api.Printing;

public class DeploymentPrinterTests
{
    private const string Json = """
        {"metadata":{"name":"nginx","creationTimestamp":"CREATED"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},
           "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}},
         "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}
        """;

    [Fact]
    public void Columns_WideContainersImagesSelector() =>
        Assert.Equal("Name:0|Ready:0|Up-to-date:0|Available:0|Age:0|Containers:1|Images:1|Selector:1",
            Print.Columns("apps", "Deployment"));

    [Fact]
    public void TwoOfThreeReady()
    {
        Assert.Equal("nginx|2/3|3|2|2d|nginx,log|nginx:1.27,busybox|app=nginx",
            Print.Row("apps", "Deployment", Json.Replace("CREATED", Print.Ago(TimeSpan.FromDays(2)))));
    }

    [Fact]
    public void UpToDateAndAvailable_AreIntegerCells()
    {
        var table = Print.Table("apps", "Deployment", Json.Replace("CREATED", Print.Minutes(1)));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal(3, cells[2]!.GetValue<long>());
        Assert.Equal(2, cells[3]!.GetValue<long>());
    }

    [Fact]
    public void EmptyStatus_ZerosAndDefaultReplicas() =>
        Assert.Equal("d|0/1|0|0|<unknown>|||",
            Print.Row("apps", "Deployment", """{"metadata":{"name":"d"},"spec":{}}"""));

    [Fact]
    public void ZeroReplicas_Printed() =>
        Assert.StartsWith("d|0/0|", Print.Row("apps", "Deployment", """{"metadata":{"name":"d"},"spec":{"replicas":0}}"""));

    [Fact]
    public void InvalidSelector_Invalid() =>
        Assert.EndsWith("|<invalid>", Print.Row("apps", "Deployment",
            """{"metadata":{"name":"d"},"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Bogus"}]}}}"""));
}
