using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock", "/var/run/docker.sock", null, 0)]
    [InlineData("/run/docker-a.sock", "/run/docker-a.sock", null, 0)]
    [InlineData("tcp://127.0.0.1:2375", null, "127.0.0.1", 2375)]
    [InlineData("tcp://docker-host", null, "docker-host", 2375)]
    [InlineData("tcp://docker-host:12375/", null, "docker-host", 12375)]
    [InlineData("tcp://[::1]:2376", null, "::1", 2376)]
    [InlineData("TCP://10.0.0.1:1", null, "10.0.0.1", 1)]
    public void Parse_ValidUri_GivesSocketOrHostAndPort(string uri, string? socketPath, string? host, int port)
    {
        var endpoint = DockerEndpoint.Parse(uri);

        Assert.Equal(socketPath, endpoint.SocketPath);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(socketPath is not null, endpoint.IsUnix);
        Assert.Equal(uri, endpoint.ToString());
    }

    [Theory]
    [InlineData("unix://relative.sock")]
    [InlineData("unix://")]
    [InlineData("tcp://")]
    [InlineData("tcp://host:0")]
    [InlineData("tcp://host:99999")]
    [InlineData("tcp://host:port")]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("http://localhost:2375")]
    [InlineData("docker.sock")]
    public void Parse_InvalidUri_Throws(string uri)
    {
        Assert.Throws<FormatException>(() => DockerEndpoint.Parse(uri));
    }

    [Fact]
    public void Default_IsTheStandardUnixSocket()
    {
        Assert.Equal("/var/run/docker.sock", DockerEndpoint.Default.SocketPath);
    }
}
