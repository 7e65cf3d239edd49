using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Model;
using Orchestrator.Core.Networking;
using static Orchestrator.Tests.Api.Admission.AdmissionTestKit;

namespace Orchestrator.Tests.Api.Admission;

public class ServiceAdmissionTests
{
    private static readonly ResourceKind ServiceKind = Kind("Service");
    private readonly ServiceIpAllocator _ips = new("10.96.0.0/12", new Random(7));
    private readonly NodePortAllocator _ports = NodePortAllocator.FromRange("30000-32767", new Random(7));
    private readonly ServiceAdmission _step;

    public ServiceAdmissionTests() => _step = new ServiceAdmission(_ips, _ports);

    private static JsonObject Svc(string name, string spec) =>
        Obj($$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{name}}","namespace":"default","uid":"u-{{name}}"},"spec":{{spec}}}""");

    private AdmissionRequest CreateSvc(string name, string spec, bool dryRun = false, bool store = true)
    {
        var request = Create(ServiceKind, Svc(name, spec), dryRun);
        _step.Admit(request);
        if (store) Finish(request, stored: true);
        return request;
    }

    private static JsonObject Spec(AdmissionRequest r) => r.Object["spec"]!.AsObject();

    [Fact]
    public void Create_ClusterIpDefaults_AllocatesFromUpperBand()
    {
        var r = CreateSvc("web", """{"selector":{"app":"web"},"ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Equal("ClusterIP", spec.Str("type"));
        Assert.Equal("None", spec.Str("sessionAffinity"));
        Assert.Equal("Cluster", spec.Str("internalTrafficPolicy"));
        Assert.Equal("SingleStack", spec.Str("ipFamilyPolicy"));
        Assert.Equal("""["IPv4"]""", spec["ipFamilies"]!.ToJsonString());
        Assert.Null(spec["externalTrafficPolicy"]);
        var port = spec["ports"]![0]!.AsObject();
        Assert.Equal("TCP", port.Str("protocol"));
        Assert.Equal(80, port.Long("targetPort"));
        var ip = IPAddress.Parse(spec.Str("clusterIP")!);
        Assert.True(_ips.IsAllocated(ip));
        Assert.Equal($"""["{ip}"]""", spec["clusterIPs"]!.ToJsonString());
        Assert.NotEqual("10.96.0.1", ip.ToString());
        Assert.NotEqual("10.96.0.10", ip.ToString());
        Assert.Equal("""{"loadBalancer":{}}""", r.Object["status"]!.ToJsonString());
    }

    [Fact]
    public void Create_FixedClusterIp_InRange_Allocated()
    {
        var r = CreateSvc("dns", """{"clusterIP":"10.96.0.10","ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"}]}""");
        Assert.Empty(r.Errors);
        Assert.Equal("""["10.96.0.10"]""", Spec(r)["clusterIPs"]!.ToJsonString());
        Assert.True(_ips.IsAllocated(IPAddress.Parse("10.96.0.10")));
    }

    [Fact]
    public void Create_ClusterIpOutOfRange_Invalid()
    {
        var r = CreateSvc("x", """{"clusterIP":"10.0.0.5","ports":[{"port":80}]}""");
        Assert.Equal(
            ["spec.clusterIPs: Invalid value: [\"10.0.0.5\"]: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"],
            Messages(r));
        Assert.Equal("spec.clusterIPs", r.Errors[0].Field);
    }

    [Fact]
    public void Create_ClusterIpTaken_Invalid()
    {
        CreateSvc("a", """{"clusterIP":"10.96.0.50","ports":[{"port":80}]}""");
        var r = CreateSvc("b", """{"clusterIP":"10.96.0.50","ports":[{"port":80}]}""");
        Assert.Equal(["spec.clusterIPs: Invalid value: [\"10.96.0.50\"]: failed to allocate IP 10.96.0.50: provided IP is already allocated"], Messages(r));
    }

    [Fact]
    public void Create_BadClusterIp_Invalid()
    {
        var r = CreateSvc("x", """{"clusterIP":"10.96.0","ports":[{"port":80}]}""");
        Assert.Contains("spec.clusterIPs[0]: Invalid value: \"10.96.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", Messages(r));
    }

    [Fact]
    public void Create_ClientIpAffinity_DefaultTimeout()
    {
        var r = CreateSvc("x", """{"sessionAffinity":"ClientIP","ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
        Assert.Equal(10800, Spec(r).At("sessionAffinityConfig.clientIP").Long("timeoutSeconds"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86401)]
    public void Create_ClientIpAffinity_BadTimeout(int timeout)
    {
        var r = CreateSvc("x", $$$"""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":{{{timeout}}}}},"ports":[{"port":80}]}""");
        Assert.Equal([$"spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: {timeout}: must be greater than 0 and less than 86400"], Messages(r));
    }

    [Fact]
    public void Create_AffinityConfigWithNone_Forbidden()
    {
        var r = CreateSvc("x", """{"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}},"ports":[{"port":80}]}""");
        Assert.Equal(["spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"], Messages(r));
    }

    [Fact]
    public void Create_BadAffinity_NotSupported()
    {
        var r = CreateSvc("x", """{"sessionAffinity":"Sticky","ports":[{"port":80}]}""");
        Assert.Equal(["spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\""], Messages(r));
    }

    [Fact]
    public void Create_MultiPortWithNames_Ok()
    {
        var r = CreateSvc("x", """{"ports":[{"name":"http","port":80},{"name":"https","port":443}]}""");
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Create_MultiPortWithoutNames_Required()
    {
        var r = CreateSvc("x", """{"ports":[{"name":"http","port":80},{"port":443}]}""");
        Assert.Equal(["spec.ports[1].name: Required value"], Messages(r));
        Assert.Equal(0, _ips.Used);
    }

    [Fact]
    public void Create_BadPortName_Invalid()
    {
        var r = CreateSvc("x", """{"ports":[{"name":"123_abc","port":80}]}""");
        Assert.Equal(
            ["spec.ports[0].name: Invalid value: \"123_abc\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            Messages(r));
    }

    [Fact]
    public void Create_DuplicatePortName_Duplicate()
    {
        var r = CreateSvc("x", """{"ports":[{"name":"web","port":80},{"name":"web","port":81}]}""");
        Assert.Equal(["spec.ports[1].name: Duplicate value: \"web\""], Messages(r));
    }

    [Fact]
    public void Create_NamedTargetPort_Ok()
    {
        var r = CreateSvc("x", """{"ports":[{"port":80,"targetPort":"http"}]}""");
        Assert.Empty(r.Errors);
        Assert.Equal("http", Spec(r)["ports"]![0].Str("targetPort"));
    }

    [Theory]
    [InlineData("""{"port":80,"targetPort":"Bad_Name"}""", "spec.ports[0].targetPort: Invalid value: \"Bad_Name\": must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("""{"port":80,"targetPort":70000}""", "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"port":0}""", "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    [InlineData("""{"port":80,"protocol":"ICMP"}""", "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("""{"port":80,"nodePort":30001}""", "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")]
    public void Create_BadPort_Rejected(string port, string expected)
    {
        var r = CreateSvc("x", $$"""{"ports":[{{port}}]}""");
        Assert.Contains(expected, Messages(r));
    }

    [Fact]
    public void Create_NoPorts_Required()
    {
        var r = CreateSvc("x", """{"selector":{"app":"x"}}""");
        Assert.Equal(["spec.ports: Required value"], Messages(r));
    }

    [Fact]
    public void Create_NodePortFixed_ThenDuplicate_AlreadyAllocated()
    {
        var first = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30007}]}""");
        Assert.Empty(first.Errors);
        Assert.Equal("Cluster", Spec(first).Str("externalTrafficPolicy"));
        Assert.True(_ports.IsAllocated(30007));

        var ipsBefore = _ips.Used;
        var second = CreateSvc("b", """{"type":"NodePort","ports":[{"port":80,"nodePort":30007}]}""");
        Assert.Equal(["spec.ports[0].nodePort: Invalid value: 30007: provided port is already allocated"], Messages(second));
        // The rejected create's cluster IP went back to the pool.
        Assert.Equal(ipsBefore, _ips.Used);
    }

    [Fact]
    public void Create_NodePortOutOfRange_Invalid()
    {
        var r = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":8080}]}""");
        Assert.Equal(["spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767"], Messages(r));
    }

    [Fact]
    public void Create_NodePortAuto_InUpperBandOfRange()
    {
        var r = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
        var np = Spec(r)["ports"]![0].Long("nodePort")!.Value;
        Assert.InRange(np, 30086, 32767);
        Assert.True(_ports.IsAllocated((int)np));
    }

    [Fact]
    public void Create_SamePortTcpAndUdp_ShareOneNodePort()
    {
        var r = CreateSvc("dns", """{"type":"NodePort","ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"}]}""");
        Assert.Empty(r.Errors);
        var ports = Spec(r)["ports"]!.AsArray();
        Assert.Equal(ports[0].Long("nodePort"), ports[1].Long("nodePort"));
        Assert.Equal(1, _ports.Used);
    }

    [Fact]
    public void Create_SameFixedNodePortTcpAndUdp_Ok_SameProtocol_Duplicate()
    {
        var ok = CreateSvc("a", """{"type":"NodePort","ports":[{"name":"u","port":53,"protocol":"UDP","nodePort":30053},{"name":"t","port":53,"protocol":"TCP","nodePort":30053}]}""");
        Assert.Empty(ok.Errors);
        var dup = CreateSvc("b", """{"type":"NodePort","ports":[{"name":"a","port":80,"nodePort":30054},{"name":"b","port":81,"nodePort":30054}]}""");
        Assert.Equal(["spec.ports[1].nodePort: Duplicate value: 30054"], Messages(dup));
    }

    [Fact]
    public void Create_LoadBalancer_GetsNodePorts()
    {
        var r = CreateSvc("lb", """{"type":"LoadBalancer","ports":[{"name":"a","port":80},{"name":"b","port":443}]}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.True(spec.Bool("allocateLoadBalancerNodePorts"));
        Assert.All(spec["ports"]!.AsArray(), p => Assert.InRange(p.Long("nodePort")!.Value, 30000, 32767));
        Assert.Null(spec["healthCheckNodePort"]);
    }

    [Fact]
    public void Create_LoadBalancerLocal_GetsHealthCheckNodePort()
    {
        var r = CreateSvc("lb", """{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
        var hc = Spec(r).Long("healthCheckNodePort")!.Value;
        Assert.True(_ports.IsAllocated((int)hc));
        Assert.Equal(2, _ports.Used);
    }

    [Fact]
    public void Create_LoadBalancerWithoutNodePorts_NoneAllocated()
    {
        var r = CreateSvc("lb", """{"type":"LoadBalancer","allocateLoadBalancerNodePorts":false,"ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
        Assert.Null(Spec(r)["ports"]![0]!["nodePort"]);
        Assert.Equal(0, _ports.Used);
    }

    [Fact]
    public void Create_LoadBalancerWithoutNodePorts_RequestedPortStillClaimed()
    {
        var r = CreateSvc("lb", """{"type":"LoadBalancer","allocateLoadBalancerNodePorts":false,"ports":[{"name":"a","port":80,"nodePort":30100},{"name":"b","port":81}]}""");
        Assert.Empty(r.Errors);
        Assert.True(_ports.IsAllocated(30100));
        Assert.Null(Spec(r)["ports"]![1]!["nodePort"]);
        var dup = CreateSvc("np", """{"type":"NodePort","ports":[{"port":80,"nodePort":30100}]}""");
        Assert.Equal(["spec.ports[0].nodePort: Invalid value: 30100: provided port is already allocated"], Messages(dup));
    }

    [Fact]
    public void Delete_ExternalNameWithStrayNodePort_DoesNotReleaseOthersPort()
    {
        CreateSvc("np", """{"type":"NodePort","ports":[{"port":80,"nodePort":30200}]}""");
        var ext = CreateSvc("ext", """{"type":"ExternalName","externalName":"a.example","ports":[{"port":80,"nodePort":30200}]}""");
        Assert.Empty(ext.Errors);
        _step.Deleted(ServiceKind, ext.Object);
        Assert.True(_ports.IsAllocated(30200));
    }

    [Fact]
    public void Create_ExternalName_NoClusterIp()
    {
        var r = CreateSvc("ext", """{"type":"ExternalName","externalName":"example.com."}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Null(spec["clusterIP"]);
        Assert.Null(spec["ipFamilies"]);
        Assert.Equal(0, _ips.Used);
    }

    [Theory]
    [InlineData("""{"type":"ExternalName"}""", "spec.externalName: Required value")]
    [InlineData("""{"type":"ExternalName","externalName":"Bad_Name"}""", "spec.externalName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain")]
    [InlineData("""{"type":"ExternalName","externalName":"a.com","clusterIP":"10.96.0.5"}""", "spec.clusterIPs: Forbidden: may not be set for ExternalName services")]
    public void Create_ExternalName_Invalid(string spec, string expectedPrefix)
    {
        var r = CreateSvc("ext", spec);
        Assert.Contains(Messages(r), m => m.StartsWith(expectedPrefix, StringComparison.Ordinal));
        Assert.Equal(0, _ips.Used);
    }

    [Fact]
    public void Create_Headless_NoAllocation()
    {
        var r = CreateSvc("db", """{"clusterIP":"None","selector":{"app":"db"}}""");
        Assert.Empty(r.Errors);
        Assert.Equal("""["None"]""", Spec(r)["clusterIPs"]!.ToJsonString());
        Assert.Equal(0, _ips.Used);
    }

    [Fact]
    public void Create_HeadlessNodePort_Invalid()
    {
        var r = CreateSvc("db", """{"type":"NodePort","clusterIP":"None","ports":[{"port":80}]}""");
        Assert.Contains("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services", Messages(r));
    }

    [Theory]
    [InlineData("""{"selector":{"app":"-x"},"ports":[{"port":80}]}""", "spec.selector[app]")]
    [InlineData("""{"externalIPs":["1.2.3"],"ports":[{"port":80}]}""", "spec.externalIPs[0]")]
    [InlineData("""{"externalIPs":["127.0.0.1"],"ports":[{"port":80}]}""", "spec.externalIPs[0]")]
    [InlineData("""{"type":"LoadBalancer","loadBalancerSourceRanges":["10.0.0.0/33"],"ports":[{"port":80}]}""", "spec.LoadBalancerSourceRanges")]
    [InlineData("""{"loadBalancerSourceRanges":["10.0.0.0/8"],"ports":[{"port":80}]}""", "spec.LoadBalancerSourceRanges")]
    [InlineData("""{"type":"Magic","ports":[{"port":80}]}""", "spec.type")]
    [InlineData("""{"externalTrafficPolicy":"Local","ports":[{"port":80}]}""", "spec.externalTrafficPolicy")]
    [InlineData("""{"internalTrafficPolicy":"Node","ports":[{"port":80}]}""", "spec.internalTrafficPolicy")]
    [InlineData("""{"ipFamilies":["IPv6"],"ports":[{"port":80}]}""", "spec.ipFamilies[0]")]
    public void Create_FieldRules_ReportField(string spec, string field)
    {
        var r = CreateSvc("x", spec);
        Assert.Contains(r.Errors, e => e.Field == field);
        Assert.Equal(0, _ips.Used);
    }

    [Fact]
    public void Create_BadSourceRange_UpstreamMessage()
    {
        var r = CreateSvc("x", """{"type":"LoadBalancer","loadBalancerSourceRanges":["10.0.0.0/8","bad"],"ports":[{"port":80}]}""");
        Assert.Equal(["spec.LoadBalancerSourceRanges: Invalid value: \"[10.0.0.0/8 bad]\": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 "], Messages(r));
    }

    [Fact]
    public void Create_ValidExternalIpsAndSourceRanges_Ok()
    {
        var r = CreateSvc("x", """{"type":"LoadBalancer","externalIPs":["192.168.1.10"],"loadBalancerSourceRanges":[" 10.0.0.0/8 "],"ports":[{"port":80}]}""");
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Delete_ReleasesIpAndPort_PortReusable()
    {
        var r = CreateSvc("a", """{"type":"NodePort","clusterIP":"10.96.3.3","ports":[{"port":80,"nodePort":30007}]}""");
        Assert.Empty(r.Errors);
        _step.Deleted(ServiceKind, r.Object);
        Assert.False(_ports.IsAllocated(30007));
        Assert.False(_ips.IsAllocated(IPAddress.Parse("10.96.3.3")));
        var again = CreateSvc("b", """{"type":"NodePort","clusterIP":"10.96.3.3","ports":[{"port":80,"nodePort":30007}]}""");
        Assert.Empty(again.Errors);
    }

    [Fact]
    public void Rebuild_MarksStoredAllocations_NoDuplicatesAfterRestart()
    {
        var stored = CreateSvc("a", """{"type":"NodePort","clusterIP":"10.96.7.7","ports":[{"port":80,"nodePort":30007}]}""").Object;

        // A restart: fresh allocators, state rebuilt from storage.
        var ips = new ServiceIpAllocator("10.96.0.0/12", new Random(7));
        var ports = NodePortAllocator.FromRange("30000-32767", new Random(7));
        var step = new ServiceAdmission(ips, ports);
        step.Rebuild(ServiceKind, [stored]);
        Assert.True(ips.IsAllocated(IPAddress.Parse("10.96.7.7")));
        Assert.True(ports.IsAllocated(30007));

        var dup = Create(ServiceKind, Svc("b", """{"type":"NodePort","clusterIP":"10.96.7.7","ports":[{"port":80,"nodePort":30007}]}"""));
        step.Admit(dup);
        Assert.Equal(2, dup.Errors.Count);
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30007: provided port is already allocated", Messages(dup));
    }

    [Fact]
    public void Rebuild_ForOtherKinds_Ignored()
    {
        CreateSvc("a", """{"ports":[{"port":80}]}""");
        _step.Rebuild(Kind("Pod"), []);
        Assert.Equal(1, _ips.Used);
    }

    [Fact]
    public void DryRun_RegistersRollbacks_NothingLeaks()
    {
        var r = CreateSvc("a", """{"type":"NodePort","clusterIP":"10.96.9.9","ports":[{"port":80,"nodePort":30009}]}""", dryRun: true);
        Assert.Empty(r.Errors);
        Assert.NotEmpty(r.Rollbacks);
        Assert.False(_ports.IsAllocated(30009));
        Assert.False(_ips.IsAllocated(IPAddress.Parse("10.96.9.9")));
    }

    [Fact]
    public void DryRun_ReportsWouldBeConflict()
    {
        CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30010}]}""");
        var r = CreateSvc("b", """{"type":"NodePort","ports":[{"port":80,"nodePort":30010}]}""", dryRun: true);
        Assert.Equal(["spec.ports[0].nodePort: Invalid value: 30010: provided port is already allocated"], Messages(r));
        Assert.True(_ports.IsAllocated(30010));
    }

    [Fact]
    public void Update_OmittedAllocations_Preserved()
    {
        var created = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80}]}""").Object;
        var body = Svc("a", """{"type":"NodePort","ports":[{"port":80}]}""");
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.Equal(created["spec"]!["clusterIP"]!.ToJsonString(), body["spec"]!["clusterIP"]!.ToJsonString());
        Assert.Equal(created["spec"]!["ports"]![0]!["nodePort"]!.ToJsonString(), body["spec"]!["ports"]![0]!["nodePort"]!.ToJsonString());
        Assert.Empty(r.Rollbacks);
        Assert.Empty(r.OnCommitted);
    }

    [Fact]
    public void Update_ApplyAfterRoundTrip_NoErrorsNoAllocationChanges()
    {
        var stored = Obj(CreateSvc("a", """{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"name":"a","port":80},{"name":"b","port":443}]}""").Object.ToJsonString());
        var used = _ports.Used;
        var body = Svc("a", """{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"name":"a","port":80},{"name":"b","port":443}]}""");
        var r = Update(ServiceKind, body, stored);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.True(JsonNode.DeepEquals(stored["spec"], body["spec"]), body["spec"]!.ToJsonString());
        Finish(r, stored: true);
        Assert.Equal(used, _ports.Used);
    }

    [Fact]
    public void Update_ChangeClusterIp_Invalid()
    {
        var created = CreateSvc("a", """{"clusterIP":"10.96.1.1","ports":[{"port":80}]}""").Object;
        var body = created.Clone();
        body["spec"]!["clusterIP"] = "10.96.1.2";
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Equal(["spec.clusterIPs[0]: Invalid value: [\"10.96.1.2\"]: may not change once set"], Messages(r));
    }

    [Fact]
    public void Update_ChangeNodePort_AllocatesNew_ReleasesOldOnCommit()
    {
        var created = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30020}]}""").Object;
        var body = created.Clone();
        body["spec"]!["ports"]![0]!["nodePort"] = 30021;
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.True(_ports.IsAllocated(30020));
        Assert.True(_ports.IsAllocated(30021));
        Finish(r, stored: true);
        Assert.False(_ports.IsAllocated(30020));
        Assert.True(_ports.IsAllocated(30021));
    }

    [Fact]
    public void Update_Conflict_RollsBackNewPort_KeepsOld()
    {
        var created = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30030}]}""").Object;
        var body = created.Clone();
        body["spec"]!["ports"]![0]!["nodePort"] = 30031;
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Finish(r, stored: false);
        Assert.True(_ports.IsAllocated(30030));
        Assert.False(_ports.IsAllocated(30031));
    }

    [Fact]
    public void Update_NodePortToClusterIp_DropsNodePorts_ReleasesOnCommit()
    {
        var created = CreateSvc("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30040}]}""").Object;
        var body = created.Clone();
        body["spec"]!["type"] = "ClusterIP";
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.Null(body["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Null(body["spec"]!["externalTrafficPolicy"]);
        Finish(r, stored: true);
        Assert.False(_ports.IsAllocated(30040));
    }

    [Fact]
    public void Update_ClusterIpToNodePort_AllocatesNodePort()
    {
        var created = CreateSvc("a", """{"ports":[{"port":80}]}""").Object;
        var body = created.Clone();
        body["spec"]!["type"] = "NodePort";
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.NotNull(body["spec"]!["ports"]![0].Long("nodePort"));
        Assert.Equal(created["spec"]!.Str("clusterIP"), body["spec"]!.Str("clusterIP"));
    }

    [Fact]
    public void Update_ToExternalName_ReleasesClusterIpOnCommit()
    {
        var created = CreateSvc("a", """{"clusterIP":"10.96.2.2","ports":[{"port":80}]}""").Object;
        var body = created.Clone();
        body["spec"]!["type"] = "ExternalName";
        body["spec"]!["externalName"] = "example.com";
        var r = Update(ServiceKind, body, created);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.Null(body["spec"]!["clusterIP"]);
        Finish(r, stored: true);
        Assert.False(_ips.IsAllocated(IPAddress.Parse("10.96.2.2")));
    }

    [Fact]
    public void StatusSubresource_Skipped()
    {
        var created = CreateSvc("a", """{"ports":[{"port":80}]}""").Object;
        var body = created.Clone();
        body["status"] = Obj("""{"loadBalancer":{"ingress":[{"ip":"192.168.1.5"}]}}""");
        var r = Update(ServiceKind, body, created, subresource: "status");
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.Equal("192.168.1.5", body["status"]!["loadBalancer"]!["ingress"]![0].Str("ip"));
    }

    [Fact]
    public void DynamicAllocation_LeavesBootstrapAddressesFree()
    {
        for (var i = 0; i < 300; i++) CreateSvc($"s{i}", """{"ports":[{"port":80}]}""");
        Assert.True(_ips.TryAllocate(IPAddress.Parse("10.96.0.1"), out _));
        Assert.True(_ips.TryAllocate(IPAddress.Parse("10.96.0.10"), out _));
    }
}
