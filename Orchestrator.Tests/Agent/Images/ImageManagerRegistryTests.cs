using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Images;

/// <summary>
/// Pulls through <see cref="ImageManager"/> from real registries on loopback: an open one the test image is pushed to
/// with the docker CLI, and an htpasswd-protected one serving the same storage. Secrets live in an in-process API
/// server (<see cref="TestCluster"/>), whose hand-moved clock also drives the pull back-off.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed partial class ImageManagerRegistryTests(DockerFixture fixture) : DockerTestBase(fixture), IAsyncLifetime
{
    private const string User = "images-test";
    private const string Password = "pull-me-if-you-can";
    private const string Repository = "images-test/busybox";

    private readonly string _storage = Directory.CreateTempSubdirectory("images-test-registry-data-").FullName;
    private readonly List<string> _localTags = [];
    private LocalRegistry? _open;
    private LocalRegistry? _auth;
    private TestCluster? _cluster;
    private ImageManager? _manager;

    private LocalRegistry Open => _open!;
    private LocalRegistry Auth => _auth!;
    private TestCluster Cluster => _cluster!;
    private ImageManager Manager => _manager!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _open = await LocalRegistry.StartAsync(_storage, null, Ct);
        // The test image goes in through the docker CLI; the local tag goes again, so a pull must fetch it.
        var pushed = $"{Open.Host}/{Repository}:1";
        await Cli(["tag", DockerFixture.Image, pushed]);
        await Cli(["push", pushed]);
        await Cli(["rmi", pushed]);
        _auth = await LocalRegistry.StartAsync(_storage, (User, Password), Ct);
        _cluster = new TestCluster();
        _manager = new ImageManager(Docker, Cluster.Client, Cluster.Time, NullLogger<ImageManager>.Instance);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var tag in _localTags.Distinct())
        {
            try
            {
                await Docker.RemoveImageAsync(tag, force: false, cleanup.Token);
            }
            catch (DockerApiException e) when (e.IsNotFound)
            {
            }
        }
        _manager?.Dispose();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_open is not null)
            await _open.DisposeAsync();
        if (_auth is not null)
            await _auth.DisposeAsync();
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
        }
        await DisposeAsync();
    }

    private async Task Cli(string[] args) => await DockerDaemon.RunAsync("docker", args, Ct);

    /// <summary>An image name on <paramref name="registry"/>, removed locally when the test ends.</summary>
    private string ImageOn(LocalRegistry registry, string repository = Repository, string tag = "1")
    {
        var name = $"{registry.Host}/{repository}:{tag}";
        _localTags.Add(name);
        return name;
    }

    private static JsonObject Pod(string uid, params string[] pullSecrets) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "images-test-pod-" + uid, ["namespace"] = "default", ["uid"] = uid },
        ["spec"] = new JsonObject
        {
            ["imagePullSecrets"] = new JsonArray(pullSecrets.Select(s => (JsonNode)new JsonObject { ["name"] = s }).ToArray()),
        },
    };

    private static JsonObject Container(string image, string? policy = null)
    {
        var container = new JsonObject { ["name"] = "main", ["image"] = image };
        if (policy is not null)
            container["imagePullPolicy"] = policy;
        return container;
    }

    private async Task CreatePullSecretAsync(string name, string registry, string user, string password)
    {
        var config = new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [registry] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) },
            },
        };
        await Cluster.Client.CreateAsync(Kinds.Secret, "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject
            {
                [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config.ToJsonString())),
            },
        }, Ct);
    }

    [GeneratedRegex("\"(?:GET|HEAD) /v2/[^ ]*/manifests/")]
    private static partial Regex ManifestRequest();

    [Fact]
    public async Task OpenRegistry_WithoutSecret_Pulls_AndConcurrentPullsAreShared()
    {
        var image = ImageOn(Open);
        Assert.Null(await Docker.TryInspectImageAsync(image, Ct));

        var outcome = await Manager.EnsureImageAsync(Pod("uid-open"), Container(image), Ct);
        Assert.True(outcome.Ready, outcome.Message);
        Assert.Null(outcome.Reason);
        var pulled = await Docker.InspectImageAsync(image, Ct);
        Assert.Equal(pulled.Id, outcome.ImageId);
        Assert.Equal((await Docker.InspectImageAsync(DockerFixture.Image, Ct)).Id, pulled.Id); // the pushed content

        // Present and IfNotPresent (tag 1): no registry request at all.
        var before = ManifestRequest().Count(Open.Log);
        Assert.True(before > 0, "the pull went through the registry:\n" + Open.Log);
        Assert.True((await Manager.EnsureImageAsync(Pod("uid-open"), Container(image), Ct)).Ready);
        Assert.Equal(before, ManifestRequest().Count(Open.Log));

        // Always pulls every time; five pods asking at once share one daemon pull.
        var single = await Manager.EnsureImageAsync(Pod("uid-open"), Container(image, "Always"), Ct);
        Assert.True(single.Ready, single.Message);
        var perPull = ManifestRequest().Count(Open.Log) - before;
        Assert.True(perPull > 0);
        var afterSingle = ManifestRequest().Count(Open.Log);
        // The registry is frozen while the five arrive, so that none of them can find the pull already finished.
        Open.Pause();
        Task<ImagePullOutcome>[] pulls;
        try
        {
            pulls = Enumerable.Range(0, 5)
                .Select(i => Manager.EnsureImageAsync(Pod($"uid-together-{i}"), Container(image, "Always"), Ct)).ToArray();
            await Task.Delay(2000, Ct);
            Assert.All(pulls, p => Assert.False(p.IsCompleted));
        }
        finally
        {
            Open.Resume();
        }
        var together = await Task.WhenAll(pulls);
        Assert.All(together, o => Assert.True(o.Ready, o.Message));
        Assert.Equal(perPull, ManifestRequest().Count(Open.Log) - afterSingle);
    }

    [Fact]
    public async Task AuthRegistry_WithDockerConfigJsonSecret_Pulls()
    {
        await CreatePullSecretAsync("images-test-pull", Auth.Host, User, Password);
        var image = ImageOn(Auth);

        var outcome = await Manager.EnsureImageAsync(Pod("uid-auth", "images-test-pull"), Container(image), Ct);

        Assert.True(outcome.Ready, outcome.Message);
        Assert.Equal((await Docker.InspectImageAsync(image, Ct)).Id, outcome.ImageId);
    }

    [Fact]
    public async Task AuthRegistry_WithoutSecret_ErrImagePull_ThenBackOff_ThenRetried_UntilASecretFixesIt()
    {
        var image = ImageOn(Auth);
        var pod = Pod("uid-noauth", "images-test-later");
        var container = Container(image);

        // 1. The registry refuses: ErrImagePull with what it said.
        var first = await Manager.EnsureImageAsync(pod, container, Ct);
        Assert.False(first.Ready);
        Assert.Equal("ErrImagePull", first.Reason);
        Assert.Contains("no basic auth credentials", first.Message);

        // 2. Asked again at once: backing off, without asking the registry.
        var requests = ManifestRequest().Count(Auth.Log);
        var second = await Manager.EnsureImageAsync(pod, container, Ct);
        Assert.Equal("ImagePullBackOff", second.Reason);
        Assert.Equal($"Back-off pulling image \"{image}\"", second.Message);
        Assert.Equal(requests, ManifestRequest().Count(Auth.Log));

        // 3. Another pod is not held back by this pod's back-off (the kubelet keys it by pod and image).
        Assert.Equal("ErrImagePull", (await Manager.EnsureImageAsync(Pod("uid-other"), container, Ct)).Reason);

        // 4. After 10 s it tries again and fails again; now the wait is 20 s.
        Cluster.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ErrImagePull", (await Manager.EnsureImageAsync(pod, container, Ct)).Reason);
        Cluster.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ImagePullBackOff", (await Manager.EnsureImageAsync(pod, container, Ct)).Reason);

        // 5. A wrong password: still refused, with the registry's word for it.
        await CreatePullSecretAsync("images-test-later", Auth.Host, User, "wrong");
        Cluster.Time.Advance(TimeSpan.FromSeconds(10));
        var wrong = await Manager.EnsureImageAsync(pod, container, Ct);
        Assert.Equal("ErrImagePull", wrong.Reason);
        Assert.Contains("unauthorized", wrong.Message, StringComparison.OrdinalIgnoreCase);

        // 6. The right one, once the back-off (now 40 s) is over: pulled.
        await Cluster.Client.DeleteAsync(Kinds.Secret, "default", "images-test-later", ct: Ct);
        await CreatePullSecretAsync("images-test-later", Auth.Host, User, Password);
        Cluster.Time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal("ImagePullBackOff", (await Manager.EnsureImageAsync(pod, container, Ct)).Reason);
        Cluster.Time.Advance(TimeSpan.FromSeconds(1));
        var fixedOutcome = await Manager.EnsureImageAsync(pod, container, Ct);
        Assert.True(fixedOutcome.Ready, fixedOutcome.Message);
    }

    [Fact]
    public async Task NonexistentImage_ErrImagePull()
    {
        var missingRepository = ImageOn(Open, "images-test/no-such-image");
        var missingTag = ImageOn(Open, Repository, "no-such-tag");

        var repo = await Manager.EnsureImageAsync(Pod("uid-missing"), Container(missingRepository), Ct);
        var tag = await Manager.EnsureImageAsync(Pod("uid-missing"), Container(missingTag), Ct);

        Assert.Equal("ErrImagePull", repo.Reason);
        Assert.Contains("manifest unknown", repo.Message);
        Assert.Equal("ErrImagePull", tag.Reason);
        Assert.Contains("manifest unknown", tag.Message);
    }

    [Fact]
    public async Task NeverPolicy_AndInvalidNames_NeverReachTheRegistry()
    {
        var requests = ManifestRequest().Count(Open.Log);
        var absent = ImageOn(Open);
        var never = await Manager.EnsureImageAsync(Pod("uid-never"), Container(absent, "Never"), Ct);
        Assert.Equal("ErrImageNeverPull", never.Reason);
        Assert.Equal($"Container image \"{absent}\" is not present with pull policy of Never", never.Message);

        var present = await Manager.EnsureImageAsync(Pod("uid-never"), Container(DockerFixture.Image, "Never"), Ct);
        Assert.True(present.Ready, present.Message);

        var invalid = await Manager.EnsureImageAsync(Pod("uid-never"), Container("Images-Test/UPPER:1"), Ct);
        Assert.Equal("InvalidImageName", invalid.Reason);
        Assert.Equal("Failed to apply default image tag \"Images-Test/UPPER:1\": couldn't parse image reference " +
                     "\"Images-Test/UPPER:1\": repository name (Images-Test/UPPER) must be lowercase", invalid.Message);
        Assert.Equal(requests, ManifestRequest().Count(Open.Log));
    }
}
