using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Runtime;

[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class DockerClientTransportTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    [Fact]
    public async Task Tcp_ReachesTheDaemon_IncludingHijackedExecWithStdinEof()
    {
        await using var relay = new SocketRelay(new IPEndPoint(IPAddress.Loopback, 0), DockerDaemon.SocketPath);
        var port = ((IPEndPoint)relay.LocalEndPoint).Port;
        using var tcp = new DockerClient($"tcp://127.0.0.1:{port}");

        Assert.False(string.IsNullOrEmpty((await tcp.GetVersionAsync(Ct)).Version));

        var container = await RunAsync(Shell("sleep 60"));
        var exec = await tcp.CreateExecAsync(container, new ExecCreateRequest { Cmd = ["wc", "-c"], AttachStdin = true }, Ct);
        await using var stream = await tcp.StartExecAsync(exec, tty: false, Ct);
        await stream.WriteAsync("12345"u8.ToArray(), Ct);
        await stream.CloseStdinAsync(Ct);
        var output = new StringBuilder();
        await foreach (var frame in stream.ReadOutputAsync(Ct))
            output.Append(Encoding.UTF8.GetString(frame.Data));

        Assert.Equal("5", output.ToString().Trim());
    }

    [Fact]
    public async Task Unix_SocketAppearsLate_CallIsRetriedUntilTheDaemonAnswers()
    {
        // As when the agent starts before dockerd: the socket file does not exist yet, then appears.
        var path = Path.Combine(Path.GetTempPath(), $"orch-test-{RunId}.sock");
        using var client = new DockerClient("unix://" + path);
        Assert.False(await client.PingAsync(Ct));

        var stopwatch = Stopwatch.StartNew();
        var call = client.GetVersionAsync(Ct);
        await Task.Delay(700, Ct);
        Assert.False(call.IsCompleted);
        await using (var relay = new SocketRelay(new UnixDomainSocketEndPoint(path), DockerDaemon.SocketPath))
        {
            var version = await call;
            Assert.False(string.IsNullOrEmpty(version.Version));
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(700));

            // Non-idempotent calls are retried too, but only while the connection cannot be opened.
            var id = await client.CreateContainerAsync(null, Shell("true"), Ct);
            await client.RemoveContainerAsync(id, force: true, volumes: true, Ct);
        }
        File.Delete(path);
    }

    [Fact]
    public async Task Unix_NoDaemonAtAll_FailsAfterABoundedBackoff()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orch-test-{RunId}-absent.sock");
        using var client = new DockerClient("unix://" + path);
        var stopwatch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetInfoAsync(Ct));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"gave up after {stopwatch.Elapsed}");
    }
}
