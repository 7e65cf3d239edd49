using System.Text.Json.Nodes;
using Orchestrator.Core.Scheduling;
using Orchestrator.Core.Scheduling.Filters;
using static Orchestrator.Tests.Core.Scheduling.SchedulingObjects;

namespace Orchestrator.Tests.Core.Scheduling;

public class FilterTests
{
    private const string Affinity = "node(s) didn't match Pod's node affinity/selector";

    private static string Required(string terms) =>
        """{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":""" + terms + "}}}}";

    public static TheoryData<string, string> NodeSelectorAndAffinityCases => new()
    {
        // pod spec, expected reason ("" = fits); the node is "n1" labelled disk=ssd, zone=a, cores=8
        { "{}", "" },
        { """{"nodeSelector":{"disk":"ssd"}}""", "" },
        { """{"nodeSelector":{"disk":"ssd","zone":"a"}}""", "" },
        { """{"nodeSelector":{"disk":"hdd"}}""", Affinity },
        { """{"nodeSelector":{"gpu":"true"}}""", Affinity },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd","nvme"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"In","values":["hdd"]}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"NotIn","values":["hdd"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"NotIn","values":["ssd"]}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"gpu","operator":"NotIn","values":["x"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"zone","operator":"Exists"}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"gpu","operator":"Exists"}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"gpu","operator":"DoesNotExist"}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"zone","operator":"DoesNotExist"}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"cores","operator":"Gt","values":["4"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"cores","operator":"Gt","values":["8"]}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"cores","operator":"Lt","values":["16"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"cores","operator":"Lt","values":["8"]}]}]"""), Affinity },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"Gt","values":["1"]}]}]"""), Affinity },
        { Required("""[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]}]"""), "" },
        { Required("""[{"matchFields":[{"key":"metadata.name","operator":"In","values":["n2"]}]}]"""), Affinity },
        { Required("""[{"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["n2"]}]}]"""), "" },
        // terms are ORed, requirements inside a term ANDed; an empty term matches nothing
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"In","values":["hdd"]}]},{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]"""), "" },
        { Required("""[{"matchExpressions":[{"key":"disk","operator":"In","values":["ssd"]},{"key":"zone","operator":"In","values":["b"]}]}]"""), Affinity },
        { Required("""[{}]"""), Affinity },
        { Required("""[]"""), Affinity },
    };

    [Theory]
    [MemberData(nameof(NodeSelectorAndAffinityCases))]
    public void NodeSelectorAndAffinity_Table(string spec, string expected)
    {
        var node = Info(Node("n1", labels: """{"disk":"ssd","zone":"a","cores":"8"}"""));
        var pod = Pod("p", spec: spec);
        var reasons = new ISchedulerFilter[] { new NodeSelectorFilter(), new NodeAffinityFilter() }.SelectMany(f => f.Filter(pod, node)).Distinct();
        Assert.Equal(expected, string.Join(",", reasons));
    }

    public static TheoryData<string, string, string> TaintCases => new()
    {
        // node taints, pod tolerations, expected reason
        { "[]", "[]", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", "[]", "node(s) had untolerated taint {dedicated: db}" },
        { """[{"key":"dedicated","value":"db","effect":"NoExecute"}]""", "[]", "node(s) had untolerated taint {dedicated: db}" },
        { """[{"key":"dedicated","value":"db","effect":"PreferNoSchedule"}]""", "[]", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"dedicated","operator":"Equal","value":"db","effect":"NoSchedule"}]""", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"dedicated","value":"db"}]""", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"dedicated","value":"web","effect":"NoSchedule"}]""", "node(s) had untolerated taint {dedicated: db}" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"dedicated","operator":"Exists"}]""", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"dedicated","operator":"Exists","effect":"NoExecute"}]""", "node(s) had untolerated taint {dedicated: db}" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"operator":"Exists"}]""", "" },
        { """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]""", """[{"key":"other","operator":"Exists"}]""", "node(s) had untolerated taint {dedicated: db}" },
        { """[{"key":"a","effect":"NoSchedule"},{"key":"b","effect":"NoSchedule"}]""", """[{"key":"a","operator":"Exists"}]""", "node(s) had untolerated taint {b: }" },
    };

    [Theory]
    [MemberData(nameof(TaintCases))]
    public void TaintToleration_Table(string taints, string tolerations, string expected)
    {
        var node = Info(Node("n1", taints: taints));
        var pod = Pod("p", spec: $$"""{"tolerations":{{tolerations}}}""");
        Assert.Equal(expected, string.Join(",", new TaintTolerationFilter().Filter(pod, node)));
    }

    public static TheoryData<string, bool, string, string> ReadinessCases => new()
    {
        // Ready status, unschedulable, pod tolerations, expected reason
        { "True", false, "[]", "" },
        { "False", false, "[]", "node(s) had untolerated taint {node.kubernetes.io/not-ready: }" },
        { "Unknown", false, "[]", "node(s) had untolerated taint {node.kubernetes.io/unreachable: }" },
        { "False", false, """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}]""", "" },
        { "True", true, "[]", "node(s) were unschedulable" },
        { "True", true, """[{"key":"node.kubernetes.io/unschedulable","operator":"Exists","effect":"NoSchedule"}]""", "" },
    };

    [Theory]
    [MemberData(nameof(ReadinessCases))]
    public void ReadyAndCordon_Table(string ready, bool unschedulable, string tolerations, string expected)
    {
        var node = Info(Node("n1", ready: ready, unschedulable: unschedulable));
        var pod = Pod("p", spec: $$"""{"tolerations":{{tolerations}}}""");
        var reasons = new ISchedulerFilter[] { new NodeUnschedulableFilter(), new NodeReadyFilter() }.SelectMany(f => f.Filter(pod, node));
        Assert.Equal(expected, string.Join(",", reasons));
    }

    [Fact]
    public void NodeReady_NoConditionsAtAll_NotReady()
    {
        var node = Node("n1");
        node["status"]!.AsObject().Remove("conditions");
        Assert.NotEmpty(new NodeReadyFilter().Filter(Pod("p"), Info(node)));
    }

    public static TheoryData<string?, string?, string[], int, string> ResourceCases => new()
    {
        // pod cpu, pod memory, cpu requests already on the 4-cpu/8Gi/3-pod node, expected reasons
        { null, null, [], 3, "" },
        { "4", "8Gi", [], 3, "" },
        { "4001m", null, [], 3, "Insufficient cpu" },
        { null, "9Gi", [], 3, "Insufficient memory" },
        { "5", "9Gi", [], 3, "Insufficient cpu,Insufficient memory" },
        { "1", null, ["3"], 3, "" },
        { "1", null, ["3", "1m"], 3, "Insufficient cpu" },
        { "1", null, ["500m", "500m", "500m"], 3, "Too many pods" },
        { "2", null, ["2", "1"], 3, "Insufficient cpu" },
    };

    [Theory]
    [MemberData(nameof(ResourceCases))]
    public void ResourceFit_Table(string? cpu, string? memory, string[] existing, int maxPods, string expected)
    {
        var node = Node("n1", cpu: "4", memory: "8Gi", pods: maxPods);
        var pods = existing.Select((c, i) => Pod("e" + i, cpu: c, node: "n1", phase: "Running")).ToArray();
        var reasons = new ResourceFitFilter().Filter(Pod("p", cpu: cpu, memory: memory), Info(node, pods));
        Assert.Equal(expected, string.Join(",", reasons));
    }

    [Fact]
    public void ResourceFit_ExtendedResourceTheNodeLacks_Insufficient()
    {
        var pod = Pod("p", spec: """{"containers":[{"name":"c","image":"x","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}""");
        Assert.Equal(["Insufficient nvidia.com/gpu"], new ResourceFitFilter().Filter(pod, Info(Node("n1"))));
    }

    public static TheoryData<string, string, string, string, bool> HostPortCases => new()
    {
        // existing (ip, protocol), wanted (ip, protocol), conflict?
        { "0.0.0.0", "TCP", "0.0.0.0", "TCP", true },
        { "0.0.0.0", "TCP", "0.0.0.0", "UDP", false },
        { "10.0.0.1", "TCP", "10.0.0.2", "TCP", false },
        { "10.0.0.1", "TCP", "10.0.0.1", "TCP", true },
        { "10.0.0.1", "TCP", "0.0.0.0", "TCP", true },
        { "0.0.0.0", "TCP", "10.0.0.1", "TCP", true },
    };

    [Theory]
    [MemberData(nameof(HostPortCases))]
    public void HostPort_Table(string existingIp, string existingProto, string wantedIp, string wantedProto, bool conflict)
    {
        JsonObject WithPort(string name, string ip, string proto, string? node) => Pod(name, node: node, phase: "Running",
            spec: $$"""{"containers":[{"name":"c","image":"x","ports":[{"containerPort":80,"hostPort":8080,"hostIP":"{{ip}}","protocol":"{{proto}}"}]}]}""");
        var node = Info(Node("n1"), WithPort("e", existingIp, existingProto, "n1"));
        var reasons = new HostPortFilter().Filter(WithPort("p", wantedIp, wantedProto, null), node);
        Assert.Equal(conflict, reasons.Count > 0);
    }

    [Fact]
    public void HostPort_DifferentPort_Fits()
    {
        var node = Info(Node("n1"), Pod("e", node: "n1", hostPort: "8080"));
        Assert.Empty(new HostPortFilter().Filter(Pod("p", hostPort: "8081"), node));
        Assert.Equal(["node(s) didn't have free ports for the requested pod ports"], new HostPortFilter().Filter(Pod("p", hostPort: "8080"), node));
    }
}
