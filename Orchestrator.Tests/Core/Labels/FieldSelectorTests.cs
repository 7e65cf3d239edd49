using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Labels;

public class FieldSelectorTests
{
    private static ResourceKind Kind(string group, string kind) =>
        ResourceCatalog.Default.Kinds.First(k => k.Group == group && k.Kind == kind);

    private static Func<string, string?> Fields(params (string, string)[] pairs)
    {
        var d = pairs.ToDictionary(p => p.Item1, p => p.Item2);
        return f => d.GetValueOrDefault(f);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name==web", true)]
    [InlineData("metadata.name!=web", false)]
    [InlineData("metadata.name=web,status.phase=Running", true)]
    [InlineData("metadata.name=web,status.phase!=Running", false)]
    [InlineData("spec.nodeName=", true)]
    [InlineData("spec.nodeName!=", false)]
    public void Matches_Table(string selector, bool expected)
    {
        var get = Fields(("metadata.name", "web"), ("status.phase", "Running"));
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(get));
    }

    [Fact]
    public void Parse_EscapedValue_Unescaped()
    {
        var s = FieldSelector.Parse(@"metadata.name=a\,b\=c");
        Assert.Equal("a,b=c", s.Requirements.Single().Value);
        Assert.Equal(@"metadata.name=a\,b\=c", s.ToString());
    }

    [Theory]
    [InlineData("metadata.name", "can't understand 'metadata.name'")]
    [InlineData(@"a=b\x", "invalid escape sequence")]
    [InlineData("a=b=c", "unescaped character")]
    public void Parse_Invalid_BadRequest(string input, string messagePart)
    {
        var ex = Assert.Throws<ApiException>(() => FieldSelector.Parse(input));
        Assert.Equal(400, ex.Code);
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void ValidateFor_UnsupportedField_FieldLabelNotSupported()
    {
        var s = FieldSelector.Parse("spec.foo=bar");
        var ex = Assert.Throws<ApiException>(() => s.ValidateFor(Kind("", "Pod")));
        Assert.Equal(400, ex.Code);
        Assert.Equal("field label not supported: spec.foo", ex.Message);
    }

    [Fact]
    public void Matches_Pod_NodeNamePhaseAndIp()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"web-1","namespace":"default"},
             "spec":{"nodeName":"node1","restartPolicy":"Always"},
             "status":{"phase":"Running","podIPs":[{"ip":"10.244.0.5"}]}}
            """)!.AsObject();
        var kind = Kind("", "Pod");
        Assert.True(FieldSelector.Parse("spec.nodeName=node1,status.phase=Running").Matches(kind, pod));
        Assert.True(FieldSelector.Parse("status.podIP=10.244.0.5,metadata.namespace=default").Matches(kind, pod));
        Assert.False(FieldSelector.Parse("spec.nodeName=node2").Matches(kind, pod));
        Assert.Equal("false", SelectableFields.Get(kind, pod, "spec.hostNetwork"));
        Assert.Equal("", SelectableFields.Get(kind, pod, "status.nominatedNodeName"));
    }

    [Fact]
    public void Get_Event_InvolvedObjectAndSource()
    {
        var ev = JsonNode.Parse("""
            {"metadata":{"name":"web.1"},"involvedObject":{"kind":"Pod","name":"web","uid":"u1"},
             "reason":"Scheduled","type":"Normal","reportingComponent":"default-scheduler","source":{}}
            """)!.AsObject();
        var kind = Kind("", "Event");
        Assert.Equal("Pod", SelectableFields.Get(kind, ev, "involvedObject.kind"));
        Assert.Equal("u1", SelectableFields.Get(kind, ev, "involvedObject.uid"));
        Assert.Equal("default-scheduler", SelectableFields.Get(kind, ev, "source"));
        Assert.Equal("Normal", SelectableFields.Get(kind, ev, "type"));
        Assert.Throws<ApiException>(() => SelectableFields.Get(kind, ev, "message"));
    }

    [Fact]
    public void Get_EventsApiEvent_RegardingUnderBothNames()
    {
        var ev = JsonNode.Parse("""{"metadata":{"name":"e"},"regarding":{"kind":"Pod","name":"web"},"reportingController":"kubelet"}""")!.AsObject();
        var kind = Kind("events.k8s.io", "Event");
        Assert.Equal("web", SelectableFields.Get(kind, ev, "regarding.name"));
        Assert.Equal("web", SelectableFields.Get(kind, ev, "involvedObject.name"));
        Assert.Equal("kubelet", SelectableFields.Get(kind, ev, "source"));
    }

    [Theory]
    [InlineData("", "Node", """{"spec":{"unschedulable":true}}""", "spec.unschedulable", "true")]
    [InlineData("", "Node", """{}""", "spec.unschedulable", "false")]
    [InlineData("", "Namespace", """{"status":{"phase":"Active"}}""", "status.phase", "Active")]
    [InlineData("", "Secret", """{"type":"kubernetes.io/tls"}""", "type", "kubernetes.io/tls")]
    [InlineData("batch", "Job", """{"status":{"succeeded":1}}""", "status.successful", "1")]
    [InlineData("batch", "Job", """{}""", "status.successful", "0")]
    [InlineData("", "ConfigMap", """{"metadata":{"name":"cm"}}""", "metadata.name", "cm")]
    public void Get_KindSpecificFields(string group, string kindName, string json, string field, string expected) =>
        Assert.Equal(expected, SelectableFields.Get(Kind(group, kindName), JsonNode.Parse(json)!.AsObject(), field));

    [Theory]
    [InlineData("", "Service", "spec.type")]
    [InlineData("", "ConfigMap", "data")]
    [InlineData("apps", "Deployment", "status.phase")]
    [InlineData("", "Node", "status.phase")]
    public void IsSupported_OtherFields_False(string group, string kindName, string field) =>
        Assert.False(SelectableFields.IsSupported(Kind(group, kindName), field));

    [Theory]
    [InlineData("", "Pod", "spec.nodeName=n1,status.phase!=Succeeded,metadata.namespace=default")]
    [InlineData("", "Event", "involvedObject.kind=Pod,involvedObject.name=web,type=Warning")]
    [InlineData("", "Secret", "type=kubernetes.io/service-account-token")]
    [InlineData("apps", "Deployment", "metadata.name=web")]
    public void ValidateFor_SupportedFields_DoesNotThrow(string group, string kindName, string selector) =>
        FieldSelector.Parse(selector).ValidateFor(Kind(group, kindName));
}
