using System.Net;
using Orchestrator.Agent.Node;

namespace Orchestrator.Tests.Agent.Node;

public sealed class AgentOptionsTests
{
    [Fact]
    public void TryParse_AllOptions_AreRead()
    {
        var ok = AgentOptions.TryParse(
        [
            "--server", "https://10.0.0.1:6443", "--token-file", "/tmp/node-token", "--node-name", "Worker-1",
            "--node-ip", "192.168.1.5", "--docker-host", "tcp://127.0.0.1:2375", "--data-dir", "/tmp/agent",
            "--lease-interval=2s",
        ], out var options, out var error);

        Assert.True(ok, error);
        Assert.Equal(new Uri("https://10.0.0.1:6443"), options!.Server);
        Assert.Equal("/tmp/node-token", options.TokenFile);
        Assert.Equal("worker-1", options.NodeName); // node names are lower-case DNS names
        Assert.Equal(IPAddress.Parse("192.168.1.5"), options.NodeIp);
        Assert.Equal("tcp://127.0.0.1:2375", options.DockerHost);
        Assert.Equal("/tmp/agent", options.DataDir);
        Assert.Equal(TimeSpan.FromSeconds(2), options.LeaseInterval);
    }

    [Fact]
    public void TryParse_OnlyRequired_UsesDefaults()
    {
        Assert.True(AgentOptions.TryParse(["--server", "https://h:6443", "--token-file", "t"], out var options, out _));
        Assert.Null(options!.NodeName);
        Assert.Null(options.NodeIp);
        Assert.Equal("unix:///var/run/docker.sock", options.DockerHost);
        Assert.Equal("/var/lib/orchestrator-agent", options.DataDir);
        Assert.Equal(TimeSpan.FromSeconds(5), options.LeaseInterval);
    }

    [Theory]
    [InlineData("--server is required", "--token-file", "t")]
    [InlineData("--token-file is required", "--server", "https://h:6443")]
    [InlineData("is not an https://HOST:PORT URL", "--server", "http://h:6443", "--token-file", "t")]
    [InlineData("is not an https://HOST:PORT URL", "--server", "https://h:6443/api", "--token-file", "t")]
    [InlineData("is not an https://HOST:PORT URL", "--server", "h:6443x", "--token-file", "t")]
    [InlineData("unknown option --port", "--server", "https://h:6443", "--token-file", "t", "--port", "1")]
    [InlineData("--token-file needs a value", "--server", "https://h:6443", "--token-file")]
    [InlineData("--token-file needs a value", "--token-file", "--server", "https://h:6443")]
    [InlineData("unexpected argument 'extra'", "--server", "https://h:6443", "--token-file", "t", "extra")]
    [InlineData("--server given twice", "--server", "https://h:6443", "--server", "https://h:6443", "--token-file", "t")]
    [InlineData("is not an IPv4 address", "--server", "https://h:6443", "--token-file", "t", "--node-ip", "::1")]
    [InlineData("is not an IPv4 address", "--server", "https://h:6443", "--token-file", "t", "--node-ip", "nope")]
    [InlineData("is not a valid node name", "--server", "https://h:6443", "--token-file", "t", "--node-name", "bad_name")]
    [InlineData("not a positive duration", "--server", "https://h:6443", "--token-file", "t", "--lease-interval", "5")]
    [InlineData("not a positive duration", "--server", "https://h:6443", "--token-file", "t", "--lease-interval", "0s")]
    [InlineData("absolute path", "--server", "https://h:6443", "--token-file", "t", "--docker-host", "unix://relative")]
    public void TryParse_BadArguments_FailsWithReason(string expected, params string[] args)
    {
        Assert.False(AgentOptions.TryParse(args, out var options, out var error));
        Assert.Null(options);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void TryParseDuration_GoStyle_Parses(string text, int milliseconds)
    {
        Assert.True(AgentOptions.TryParseDuration(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5")]
    [InlineData("-1s")]
    [InlineData("5d")]
    public void TryParseDuration_Malformed_Fails(string text) => Assert.False(AgentOptions.TryParseDuration(text, out _));

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void IsHelp_HelpFlag_True(string flag) => Assert.True(AgentOptions.IsHelp(["--server", "x", flag]));
}
