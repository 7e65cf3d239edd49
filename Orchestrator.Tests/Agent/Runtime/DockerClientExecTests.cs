using System.Text;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class DockerClientExecTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    [Fact]
    public async Task Exec_WithStdin_CatSeesEofAfterHalfClose_AndTheExitCodeIsRead()
    {
        var container = await RunAsync(Shell("sleep 60"));
        var exec = await Docker.CreateExecAsync(container, new ExecCreateRequest
        {
            Cmd = ["sh", "-c", "cat; echo done-reading >&2; exit 7"],
            AttachStdin = true,
            Env = ["X=1"],
            WorkingDir = "/tmp",
            User = "nobody",
        }, Ct);

        await using var stream = await Docker.StartExecAsync(exec, tty: false, Ct);
        Assert.True(stream.Multiplexed);
        var payload = new byte[100_000];
        new Random(42).NextBytes(payload);
        await stream.WriteAsync(payload, Ct);
        await stream.CloseStdinAsync(Ct);

        using var stdout = new MemoryStream();
        var stderr = new StringBuilder();
        await foreach (var frame in stream.ReadOutputAsync(Ct))
        {
            if (frame.Stream == StdStream.Stdout)
                stdout.Write(frame.Data);
            else
                stderr.Append(Encoding.UTF8.GetString(frame.Data));
        }

        Assert.Equal(payload, stdout.ToArray());
        Assert.Equal("done-reading\n", stderr.ToString());
        var inspect = await WaitExecAsync(exec);
        Assert.Equal(7, inspect.ExitCode);
        Assert.Equal(container, inspect.ContainerID);
    }

    [Fact]
    public async Task Exec_UserWorkingDirAndEnv_AreApplied()
    {
        var container = await RunAsync(Shell("sleep 60"));
        var exec = await Docker.CreateExecAsync(container, new ExecCreateRequest
        {
            Cmd = ["sh", "-c", "echo $(id -u) $(pwd) $X"],
            Env = ["X=from-env"],
            WorkingDir = "/tmp",
            User = "65534",
        }, Ct);

        var output = new StringBuilder();
        await using (var stream = await Docker.StartExecAsync(exec, tty: false, Ct))
            await foreach (var frame in stream.ReadOutputAsync(Ct))
                output.Append(Encoding.UTF8.GetString(frame.Data));

        Assert.Equal("65534 /tmp from-env\n", output.ToString());
        Assert.Equal(0, (await WaitExecAsync(exec)).ExitCode);
    }

    [Fact]
    public async Task Exec_Tty_IsRawAndResizable()
    {
        var container = await RunAsync(Shell("sleep 60"));
        var exec = await Docker.CreateExecAsync(container, new ExecCreateRequest
        {
            // Wait for our resize before reporting the size; the terminal turns \n into \r\n.
            Cmd = ["sh", "-c", "read line; stty size; echo got:$line; exit 5"],
            AttachStdin = true,
            Tty = true,
        }, Ct);

        await using var stream = await Docker.StartExecAsync(exec, tty: true, Ct);
        Assert.False(stream.Multiplexed);
        await Docker.ResizeExecAsync(exec, height: 33, width: 101, Ct);
        await stream.WriteAsync("hello\n"u8.ToArray(), Ct);

        var output = new StringBuilder();
        await foreach (var frame in stream.ReadOutputAsync(Ct))
        {
            Assert.Equal(StdStream.Stdout, frame.Stream);
            output.Append(Encoding.UTF8.GetString(frame.Data));
        }

        // The terminal echoes the input line, then the command's output.
        Assert.Contains("hello\r\n", output.ToString());
        Assert.Contains("33 101\r\n", output.ToString());
        Assert.Contains("got:hello\r\n", output.ToString());
        Assert.Equal(5, (await WaitExecAsync(exec)).ExitCode);
    }

    [Fact]
    public async Task Attach_StdinReachesTheMainProcess_AndItsOutputComesBack()
    {
        var request = Shell("while read line; do echo echo:$line; echo warn:$line >&2; done; exit 2");
        request.OpenStdin = true;
        request.StdinOnce = true;
        request.AttachStdin = true;
        request.AttachStdout = true;
        request.AttachStderr = true;
        var id = await CreateAsync(request);

        // Attach before start so no output is missed (what `docker run -i` does).
        await using var stream = await Docker.AttachContainerAsync(id, tty: false, stdin: true, logs: false, Ct);
        await Docker.StartContainerAsync(id, Ct);
        await stream.WriteAsync("one\ntwo\n"u8.ToArray(), Ct);
        await stream.CloseStdinAsync(Ct);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        await foreach (var frame in stream.ReadOutputAsync(Ct))
            (frame.Stream == StdStream.Stderr ? stderr : stdout).Append(Encoding.UTF8.GetString(frame.Data));

        Assert.Equal("echo:one\necho:two\n", stdout.ToString());
        Assert.Equal("warn:one\nwarn:two\n", stderr.ToString());
        Assert.Equal(2, await Docker.WaitContainerAsync(id, WaitCondition.NotRunning, Ct));
    }

    [Fact]
    public async Task Attach_Tty_CarriesTheTerminal()
    {
        var request = Shell("read line; echo tty:$line; exit 0");
        request.Tty = true;
        request.OpenStdin = true;
        request.StdinOnce = true;
        request.AttachStdin = true;
        request.AttachStdout = true;
        request.AttachStderr = true;
        var id = await CreateAsync(request);

        await using var stream = await Docker.AttachContainerAsync(id, tty: true, stdin: true, logs: false, Ct);
        await Docker.StartContainerAsync(id, Ct);
        await Docker.ResizeContainerTtyAsync(id, 24, 80, Ct);
        await stream.WriteAsync("x\n"u8.ToArray(), Ct);

        var output = new StringBuilder();
        await foreach (var frame in stream.ReadOutputAsync(Ct))
            output.Append(Encoding.UTF8.GetString(frame.Data));

        Assert.Contains("tty:x\r\n", output.ToString());
        Assert.Equal(0, await Docker.WaitContainerAsync(id, WaitCondition.NotRunning, Ct));
    }

    /// <summary>The exec's output ends a moment before Docker records its exit code.</summary>
    private async Task<ExecInspect> WaitExecAsync(string exec)
    {
        while (true)
        {
            var inspect = await Docker.InspectExecAsync(exec, Ct);
            if (!inspect.Running && inspect.ExitCode is not null)
                return inspect;
            await Task.Delay(20, Ct);
        }
    }
}
