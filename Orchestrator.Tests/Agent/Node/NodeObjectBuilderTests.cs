using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Agent.Node;

public sealed class NodeObjectBuilderTests
{
    private static readonly NodeIdentity Identity = new("worker-1", IPAddress.Parse("192.168.1.5"), "arm64", "abc123");
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly DockerSystemInfo Info = new()
    {
        NCPU = 4, MemTotal = 8L * 1024 * 1024 * 1024, KernelVersion = "6.1.0", OperatingSystem = "Debian GNU/Linux 12 (bookworm)",
        ServerVersion = "20.10.24",
    };

    private static JsonObject StatusOf(JsonObject node) => node["status"]!.AsObject();

    private static JsonObject Condition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c.Str("type") == type);

    [Fact]
    public void NewNode_ReachableDocker_ReportsKubeletShape()
    {
        var node = new NodeObjectBuilder(Identity).NewNode(new RuntimeObservation(true, Info, null), T0);

        Assert.Equal("worker-1", node.Name());
        Assert.Equal("arm64", node.Labels()["kubernetes.io/arch"]);
        Assert.Equal("worker-1", node.Labels()["kubernetes.io/hostname"]);
        Assert.Equal("worker-1", StatusOf(node)["addresses"]![1].Str("address"));
        Assert.Null(node["spec"]!["podCIDR"]); // assigned by the server's node IPAM, not by the agent
        var status = node["status"]!.AsObject();
        Assert.Equal("4", status["capacity"].Str("cpu"));
        Assert.Equal("8388608Ki", status["capacity"].Str("memory"));
        Assert.Equal("110", status["allocatable"].Str("pods"));
        Assert.Equal("192.168.1.5", status["addresses"]![0].Str("address"));
        Assert.Equal("InternalIP", status["addresses"]![0].Str("type"));
        Assert.Equal("docker://20.10.24", status["nodeInfo"].Str("containerRuntimeVersion"));
        Assert.Equal("v1.32.0-orchestrator", status["nodeInfo"].Str("kubeletVersion"));
        Assert.Equal("abc123", status["nodeInfo"].Str("machineID"));
        Assert.Equal("True", Condition(status, "Ready").Str("status"));
        Assert.Equal("KubeletReady", Condition(status, "Ready").Str("reason"));
        foreach (var type in new[] { "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable" })
            Assert.Equal("False", Condition(status, type).Str("status"));
        Assert.Equal("2026-01-02T03:04:05Z", Condition(status, "Ready").Str("lastHeartbeatTime"));
    }

    [Fact]
    public void Status_DockerGone_ReadyFalseKeepingCapacityAndTransitionTimes()
    {
        var builder = new NodeObjectBuilder(Identity);
        var up = builder.Status(new RuntimeObservation(true, Info, null), T0, previous: null);
        var down = builder.Status(new RuntimeObservation(false, null, "connection refused"), T0.AddMinutes(1), up);

        var ready = Condition(down, "Ready");
        Assert.Equal("False", ready.Str("status"));
        Assert.Equal("ContainerRuntimeUnreachable", ready.Str("reason"));
        Assert.Contains("connection refused", ready.Str("message"));
        Assert.Equal("2026-01-02T03:05:05Z", ready.Str("lastTransitionTime"));
        // Unchanged conditions keep their transition time; only the heartbeat moves.
        Assert.Equal("2026-01-02T03:04:05Z", Condition(down, "DiskPressure").Str("lastTransitionTime"));
        Assert.Equal("2026-01-02T03:05:05Z", Condition(down, "DiskPressure").Str("lastHeartbeatTime"));
        Assert.Equal("4", down["capacity"].Str("cpu"));
        Assert.Equal("docker://20.10.24", down["nodeInfo"].Str("containerRuntimeVersion"));
    }

    [Theory]
    [InlineData(System.Runtime.InteropServices.Architecture.X64, "amd64")]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm64, "arm64")]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm, "arm")]
    public void GoArchitecture_MapsDotnetNames(System.Runtime.InteropServices.Architecture arch, string expected) =>
        Assert.Equal(expected, NodeIdentity.GoArchitecture(arch));
}
