using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Images;

/// <summary>
/// The sandbox image, built for real: the hand-assembled ELF for this machine's architecture, and the busybox
/// fallback for an architecture we have no program for. Each test builds its own image name and removes it.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class SandboxImageDockerTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    public static TheoryData<string> Variants => new() { "native", "busybox-fallback" };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Built_Idempotent_StaysUp_AndStopsAtOnceWithExitZero(string variant)
    {
        var image = $"orchestrator-test/images-pause-{RunId}:1";
        // S390x stands for any architecture without a built-in program (the tests do not run there).
        var architecture = variant == "native" ? RuntimeInformation.OSArchitecture : Architecture.S390x;
        await using var cluster = new TestCluster();
        using var manager = new ImageManager(Docker, cluster.Client, TimeProvider.System, NullLogger<ImageManager>.Instance,
            new ImageManagerOptions { SandboxImage = image }, architecture);
        try
        {
            // Built once, even when asked concurrently; asked again it is the same image.
            var names = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => manager.EnsureSandboxImageAsync(Ct)));
            Assert.All(names, n => Assert.Equal(image, n));
            var built = await Docker.InspectImageAsync(image, Ct);
            Assert.Equal(image, await manager.EnsureSandboxImageAsync(Ct));
            Assert.Equal(built.Id, (await Docker.InspectImageAsync(image, Ct)).Id);
            if (variant == "native")
                Assert.True(built.Size < 4096, $"the native sandbox image is {built.Size} bytes");

            // SIGTERM (docker stop): exit 0 well before the 10 s kill.
            var first = await RunAsync(new ContainerCreateRequest { Image = image, Labels = Labels() });
            await Task.Delay(1500, Ct);
            Assert.True((await Docker.InspectContainerAsync(first, Ct)).State!.Running, "the sandbox keeps running");
            var stopwatch = Stopwatch.StartNew();
            await Docker.StopContainerAsync(first, TimeSpan.FromSeconds(10), Ct);
            stopwatch.Stop();
            var stopped = await Docker.InspectContainerAsync(first, Ct);
            Assert.False(stopped.State!.Running);
            Assert.Equal(0, stopped.State.ExitCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"docker stop took {stopwatch.Elapsed}");

            // SIGINT: exit 0 too.
            var second = await RunAsync(new ContainerCreateRequest { Image = image, Labels = Labels() });
            await Task.Delay(500, Ct);
            await Docker.KillContainerAsync(second, "SIGINT", Ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await Docker.WaitContainerAsync(second, WaitCondition.NotRunning, wait.Token));

            // Another signal (SIGHUP) is not ours: PID 1 ignores it and the sandbox stays up.
            var third = await RunAsync(new ContainerCreateRequest { Image = image, Labels = Labels() });
            await Task.Delay(500, Ct);
            await Docker.KillContainerAsync(third, "SIGHUP", Ct);
            await Task.Delay(1000, Ct);
            Assert.True((await Docker.InspectContainerAsync(third, Ct)).State!.Running, "SIGHUP does not end the sandbox");
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await DockerFixture.RemoveLabelledAsync(Docker, RunLabel, cleanup.Token);
            try
            {
                await Docker.RemoveImageAsync(image, force: true, cleanup.Token);
            }
            catch (DockerApiException e) when (e.IsNotFound)
            {
            }
        }
    }
}
