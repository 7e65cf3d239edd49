using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Agent.Images;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Image pulls as a user sees them: a pod whose image lives on a password-protected local registry (Debian's
/// docker-registry) runs with a `kubectl create secret docker-registry` pull secret, shows ErrImagePull /
/// ImagePullBackOff without it, and so does an image that does not exist; the agent keeps serving other pods.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class ImagePullEndToEndTests(AgentClusterFixture cluster) : IAsyncLifetime
{
    private const string User = "e2e-puller";
    private const string Password = "e2e-pull-password";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _storage = Directory.CreateTempSubdirectory("e2e-registry-").FullName;
    private LocalRegistry? _open;
    private LocalRegistry? _auth;
    private string _image = "";

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _open = await LocalRegistry.StartAsync(_storage, null, cts.Token);
        var pushed = $"{_open.Host}/e2e/busybox:1";
        await DockerDaemon.RunAsync("docker", ["tag", AgentClusterFixture.Image, pushed], cts.Token);
        await DockerDaemon.RunAsync("docker", ["push", pushed], cts.Token);
        await DockerDaemon.RunAsync("docker", ["rmi", pushed], cts.Token);
        // The same storage behind a password: the image is there, but only a pull secret gets it.
        _auth = await LocalRegistry.StartAsync(_storage, (User, Password), cts.Token);
        _image = $"{_auth.Host}/e2e/busybox:1";
    }

    public async Task DisposeAsync()
    {
        await cluster.Kubectl.RunAsync("delete", "pod", "pull-ok", "pull-denied", "pull-missing", "--ignore-not-found", "--wait=true");
        await cluster.Kubectl.RunAsync("delete", "secret", "regcred", "--ignore-not-found");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await DockerDaemon.RunAsync("docker", ["rmi", _image], cts.Token);
        }
        catch (InvalidOperationException)
        {
            // never pulled
        }
        if (_open != null) await _open.DisposeAsync();
        if (_auth != null) await _auth.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
    }

    [Fact]
    public async Task PullSecret_Pulls_WithoutIt_ImagePullBackOff_MissingImage_ErrImagePull()
    {
        (await cluster.Kubectl.RunAsync("create", "secret", "docker-registry", "regcred",
            "--docker-server=" + _auth!.Host, "--docker-username=" + User, "--docker-password=" + Password)).Ok();
        await cluster.ApplyAsync(Pod("pull-denied", _image, secret: null));
        await cluster.ApplyAsync(Pod("pull-missing", $"{_auth.Host}/e2e/no-such-image:1", secret: "regcred"));
        var denied = await cluster.EventuallyAsync(async () =>
        {
            var w = Waiting(await cluster.GetPodAsync("pull-denied"));
            return w?.Str("reason") == "ImagePullBackOff" ? w : null;
        }, Timeout, "ImagePullBackOff without the secret");
        Assert.Contains(_image, denied.Str("message"));
        var get = (await cluster.Kubectl.RunAsync("get", "pod", "pull-denied")).Ok().StdOut;
        Assert.Matches("ErrImagePull|ImagePullBackOff", get);
        var describe = (await cluster.Kubectl.RunAsync("describe", "pod", "pull-denied")).Ok().StdOut;
        Assert.Contains("Failed", describe);

        // Only after that: once a pod with the secret has pulled the image, IfNotPresent lets every pod use it (as in
        // Kubernetes), so the denied pod would then start.
        await cluster.ApplyAsync(Pod("pull-ok", _image, secret: "regcred"));
        await cluster.EventuallyAsync(async () => Phase(await cluster.GetPodAsync("pull-ok")) == "Running" ? "running" : null, Timeout, "the pod pulled with its secret");

        var missing = await cluster.EventuallyAsync(async () =>
        {
            var w = Waiting(await cluster.GetPodAsync("pull-missing"));
            return w?.Str("reason") is "ErrImagePull" or "ImagePullBackOff" ? w : null;
        }, Timeout, "ErrImagePull for an image that does not exist");
        Assert.False(string.IsNullOrEmpty(missing.Str("message")));
        Assert.Equal("Pending", Phase(await cluster.GetPodAsync("pull-missing")));
    }

    private static string Pod(string name, string image, string? secret) =>
        $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}}
        spec:
          terminationGracePeriodSeconds: 1
        {{(secret == null ? "" : "  imagePullSecrets: [{name: " + secret + "}]\n")}}  containers:
          - name: main
            image: {{image}}
            command: ["sleep", "3600"]
        """;

    private static string? Phase(JsonObject? pod) => pod?["status"].Str("phase");

    private static JsonNode? Waiting(JsonObject? pod) => pod?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"];
}
