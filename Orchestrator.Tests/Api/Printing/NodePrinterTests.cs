namespace Orchestrator.Tests.Api.Printing;

public class NodePrinterTests
{
    private static string Row(string json) => Print.Row("", "Node", json);

    [Fact]
    public void Columns() =>
        Assert.Equal("Name:0|Status:0|Roles:0|Age:0|Version:0|Internal-IP:1|External-IP:1|OS-Image:1|Kernel-Version:1|Container-Runtime:1",
            Print.Columns("", "Node"));

    [Fact]
    public void ReadyControlPlane_FullRow()
    {
        var json = $$$$"""
            {"metadata":{"name":"node1","creationTimestamp":"{{{{Print.Ago(TimeSpan.FromDays(100))}}}}",
               "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/etcd":"true","kubernetes.io/hostname":"node1"}},
             "spec":{},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
               "addresses":[{"type":"Hostname","address":"node1"},{"type":"InternalIP","address":"172.18.0.2"}],
               "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12","kernelVersion":"6.1.0","containerRuntimeVersion":"docker://27.3.1"}}}
            """;
        Assert.Equal("node1|Ready|control-plane,etcd|100d|v1.32.0|172.18.0.2|<none>|Debian GNU/Linux 12|6.1.0|docker://27.3.1", Row(json));
    }

    [Theory]
    [InlineData("""[{"type":"Ready","status":"False"}]""", false, "NotReady")]
    [InlineData("""[{"type":"Ready","status":"Unknown"}]""", false, "NotReady")]
    [InlineData("""[]""", false, "Unknown")]
    [InlineData("""[{"type":"Ready","status":"True"}]""", true, "Ready,SchedulingDisabled")]
    [InlineData("""[]""", true, "Unknown,SchedulingDisabled")]
    public void Status_ReadinessAndCordon(string conditions, bool unschedulable, string expected) =>
        Assert.StartsWith($"n|{expected}|",
            Row("""{"metadata":{"name":"n"},"spec":{"unschedulable":UNSCHED},"status":{"conditions":COND}}"""
                .Replace("UNSCHED", unschedulable ? "true" : "false").Replace("COND", conditions)));

    [Fact]
    public void LegacyRoleLabel_AndNoInfo()
    {
        Assert.Equal("n|Unknown|worker|<unknown>||<none>|<none>|<unknown>|<unknown>|<unknown>",
            Row("""{"metadata":{"name":"n","labels":{"kubernetes.io/role":"worker"}}}"""));
        Assert.StartsWith("n|Unknown|<none>|", Row("""{"metadata":{"name":"n","labels":{"node-role.kubernetes.io/":""}}}"""));
    }
}
