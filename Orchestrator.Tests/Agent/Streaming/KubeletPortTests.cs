using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Node;

namespace Orchestrator.Tests.Agent.Streaming;

/// <summary>The agent's streaming port: the <c>--kubelet-port</c> flag and where the Node reports it.</summary>
public sealed class KubeletPortTests
{
    private static readonly string[] Required = ["--server", "https://10.0.0.1:6443", "--token-file", "/tmp/t"];

    [Fact]
    public void KubeletPort_DefaultsTo10250()
    {
        Assert.True(AgentOptions.TryParse(Required, out var options, out var error), error);
        Assert.Equal(10250, options!.KubeletPort);
    }

    [Theory]
    [InlineData("12345", 12345)]
    [InlineData("1", 1)]
    [InlineData("65535", 65535)]
    public void KubeletPort_IsRead(string text, int expected)
    {
        Assert.True(AgentOptions.TryParse([.. Required, "--kubelet-port", text], out var options, out var error), error);
        Assert.Equal(expected, options!.KubeletPort);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("http")]
    public void KubeletPort_OutOfRange_IsRefused(string text)
    {
        Assert.False(AgentOptions.TryParse([.. Required, "--kubelet-port=" + text], out _, out var error));
        Assert.Contains("--kubelet-port", error);
    }

    [Fact]
    public void NodeStatus_ReportsTheStreamingPortAsTheKubeletEndpoint()
    {
        var identity = new NodeIdentity("worker-1", IPAddress.Parse("192.168.1.5"), "amd64", "id");
        var status = new NodeObjectBuilder(identity, 23456).Status(new RuntimeObservation(false, null, "down"), DateTimeOffset.UnixEpoch, null);
        Assert.Equal(23456, status["daemonEndpoints"]!["kubeletEndpoint"]!["Port"]!.GetValue<int>());
        var byDefault = new NodeObjectBuilder(identity).Status(new RuntimeObservation(false, null, "down"), DateTimeOffset.UnixEpoch, null);
        Assert.Equal(10250, byDefault["daemonEndpoints"]!["kubeletEndpoint"]!["Port"]!.GetValue<int>());
    }
}
