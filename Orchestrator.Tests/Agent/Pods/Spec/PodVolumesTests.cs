using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class PodVolumesTests : IDisposable
{
    private readonly PodSpecTestData _data = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _data.Dispose();

    private static JsonObject PodWith(params JsonObject[] volumes) =>
        PodSpecTestData.Pod(spec: new JsonObject { ["volumes"] = new JsonArray(volumes.Select(v => (JsonNode)v).ToArray()) });

    private static JsonObject Volume(string name, string type, JsonObject source) => new() { ["name"] = name, [type] = source };

    private async Task<IReadOnlyDictionary<string, string>> PrepareAsync(JsonObject pod) =>
        await _data.Volumes(_time).PrepareAsync(pod, _data.VolumeDirectory(pod), default);

    [Fact]
    public async Task ConfigMap_AllKeys_AsLinksIntoDotDotData_WithDefaultMode0644()
    {
        _data.Objects.ConfigMap("shop", "settings", ("app.conf", "port=80\n"), ("level", "3"));
        var pod = PodWith(Volume("config", "configMap", new JsonObject { ["name"] = "settings" }));

        var path = (await PrepareAsync(pod))["config"];

        Assert.Equal("port=80\n", File.ReadAllText(Path.Combine(path, "app.conf")));
        Assert.Equal("3", File.ReadAllText(Path.Combine(path, "level")));
        Assert.Equal("..data/app.conf", new FileInfo(Path.Combine(path, "app.conf")).LinkTarget);
        Assert.StartsWith("..2026_11_22_00_00_00.", new FileInfo(Path.Combine(path, "..data")).LinkTarget);
        Assert.Equal(PodVolumes.DefaultFileMode, UnixFileSystem.ModeOf(Path.Combine(path, "level")));
    }

    [Fact]
    public async Task Secret_ItemsWithPathsAndModes_DecodedFromBase64()
    {
        _data.Objects.Secret("shop", "creds", ("password", "s3cr3t"), ("user", "admin"));
        var pod = PodWith(Volume("creds", "secret", new JsonObject
        {
            ["secretName"] = "creds",
            ["defaultMode"] = 256, // 0400
            ["items"] = new JsonArray(
                new JsonObject { ["key"] = "password", ["path"] = "db/password" },
                new JsonObject { ["key"] = "user", ["path"] = "user.txt", ["mode"] = 420 }),
        }));

        var path = (await PrepareAsync(pod))["creds"];

        Assert.Equal("s3cr3t", File.ReadAllText(Path.Combine(path, "db/password")));
        Assert.Equal(UnixFileMode.UserRead, UnixFileSystem.ModeOf(Path.Combine(path, "db/password")));
        Assert.Equal("admin", File.ReadAllText(Path.Combine(path, "user.txt")));
        Assert.Equal(PodVolumes.DefaultFileMode, UnixFileSystem.ModeOf(Path.Combine(path, "user.txt")));
        Assert.Equal("..data/db", new FileInfo(Path.Combine(path, "db")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(path, "password")));
    }

    [Fact]
    public async Task Refresh_UnchangedWritesNothing_ChangedSwapsTheWholeSetAndRemovesStaleNames()
    {
        _data.Objects.ConfigMap("shop", "settings", ("a", "1"), ("b", "2"));
        var pod = PodWith(Volume("config", "configMap", new JsonObject { ["name"] = "settings" }));
        var path = (await PrepareAsync(pod))["config"];
        var firstVersion = new FileInfo(Path.Combine(path, "..data")).LinkTarget;
        var heldOpen = new StreamReader(Path.Combine(path, "a")); // a reader of the old version

        _time.Advance(TimeSpan.FromSeconds(3));
        await PrepareAsync(pod);
        var sameVersion = new FileInfo(Path.Combine(path, "..data")).LinkTarget;

        _data.Objects.ConfigMap("shop", "settings", ("a", "10"), ("c", "3"));
        await PrepareAsync(pod);
        var newVersion = new FileInfo(Path.Combine(path, "..data")).LinkTarget;

        Assert.Equal(firstVersion, sameVersion);
        Assert.NotEqual(firstVersion, newVersion);
        Assert.StartsWith("..2026_11_22_00_00_03.", newVersion);
        Assert.Equal("10", File.ReadAllText(Path.Combine(path, "a")));
        Assert.Equal("3", File.ReadAllText(Path.Combine(path, "c")));
        Assert.False(Path.Exists(Path.Combine(path, "b")));
        Assert.False(Directory.Exists(Path.Combine(path, firstVersion!)));
        Assert.Equal(new[] { newVersion!, "..data", "a", "c" }.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("1", heldOpen.ReadToEnd()); // the old file stays readable for whoever had it open
        heldOpen.Dispose();
    }

    [Fact]
    public async Task OptionalMissingConfigMap_IsAnEmptyVolume_MissingRequiredOneIsFailedMount()
    {
        var optional = PodWith(Volume("config", "configMap", new JsonObject { ["name"] = "ghost", ["optional"] = true }));
        var required = PodWith(Volume("config", "configMap", new JsonObject { ["name"] = "ghost" }));

        var path = (await PrepareAsync(optional))["config"];
        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => PrepareAsync(required));

        Assert.Equal(["..data"], Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).Where(n => !n!.StartsWith("..2", StringComparison.Ordinal)));
        Assert.Equal("FailedMount", e.Reason);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"ghost\" not found", e.Message);
    }

    [Theory]
    [InlineData("configMap", "configmap references non-existent config key: absent")]
    [InlineData("secret", "references non-existent secret key: absent")]
    public async Task MissingItemKey_IsFailedMount(string type, string message)
    {
        _data.Objects.ConfigMap("shop", "obj", ("present", "1")).Secret("shop", "obj", ("present", "1"));
        var source = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["key"] = "absent", ["path"] = "x" }) };
        source[type == "secret" ? "secretName" : "name"] = "obj";

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => PrepareAsync(PodWith(Volume("v", type, source))));

        Assert.Equal($"MountVolume.SetUp failed for volume \"v\" : {message}", e.Message);
    }

    [Fact]
    public async Task DownwardApi_LabelsAnnotationsNameAndResources()
    {
        var pod = PodWith(Volume("info", "downwardAPI", new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["path"] = "labels", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.labels" } },
                new JsonObject { ["path"] = "annotations", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.annotations" } },
                new JsonObject { ["path"] = "name", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
                new JsonObject { ["path"] = "tier", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.labels['tier']" } },
                new JsonObject
                {
                    ["path"] = "cpu_limit",
                    ["resourceFieldRef"] = new JsonObject { ["containerName"] = "app", ["resource"] = "limits.cpu", ["divisor"] = "1m" },
                }),
        }));

        var path = (await PrepareAsync(pod))["info"];

        Assert.Equal("app=\"web\"\ntier=\"front\"", File.ReadAllText(Path.Combine(path, "labels")));
        Assert.Equal("note=\"say \\\"hi\\\"\"", File.ReadAllText(Path.Combine(path, "annotations")));
        Assert.Equal("web-0", File.ReadAllText(Path.Combine(path, "name")));
        Assert.Equal("front", File.ReadAllText(Path.Combine(path, "tier")));
        Assert.Equal("2000", File.ReadAllText(Path.Combine(path, "cpu_limit"))); // no limit: the node's 2 cores
    }

    [Fact]
    public async Task Projected_CombinesSources_AndSkipsServiceAccountTokens()
    {
        _data.Objects.ConfigMap("shop", "settings", ("mode", "fast")).Secret("shop", "creds", ("password", "pw"));
        var pod = PodWith(Volume("all", "projected", new JsonObject
        {
            ["defaultMode"] = 288, // 0440
            ["sources"] = new JsonArray(
                new JsonObject { ["configMap"] = new JsonObject { ["name"] = "settings" } },
                new JsonObject { ["secret"] = new JsonObject { ["name"] = "creds", ["items"] = new JsonArray(new JsonObject { ["key"] = "password", ["path"] = "secret/pw" }) } },
                new JsonObject { ["downwardAPI"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["path"] = "ns", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.namespace" } }) } },
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["path"] = "token" } }),
        }));

        var path = (await PrepareAsync(pod))["all"];

        Assert.Equal("fast", File.ReadAllText(Path.Combine(path, "mode")));
        Assert.Equal("pw", File.ReadAllText(Path.Combine(path, "secret/pw")));
        Assert.Equal("shop", File.ReadAllText(Path.Combine(path, "ns")));
        Assert.False(Path.Exists(Path.Combine(path, "token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, UnixFileSystem.ModeOf(Path.Combine(path, "mode")));
    }

    [Fact]
    public async Task EmptyDir_IsAWorldWritableFolder_EvenForMediumMemory()
    {
        var pod = PodWith(Volume("scratch", "emptyDir", new JsonObject()), Volume("ram", "emptyDir", new JsonObject { ["medium"] = "Memory" }));

        var paths = await PrepareAsync(pod);

        Assert.Equal((UnixFileMode)0x1FF, UnixFileSystem.ModeOf(paths["scratch"]));
        Assert.True(Directory.Exists(paths["ram"]));
        Assert.EndsWith("/volumes/kubernetes.io~empty-dir/scratch", paths["scratch"]);
    }

    [Fact]
    public async Task HostPath_TypeChecks_WithTheKubeletsMessages()
    {
        var root = Path.Combine(_data.Root, "host");
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "file");
        File.WriteAllText(file, "x");
        var socketPath = Path.Combine(root, "sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        async Task<string?> Check(string path, string type)
        {
            try
            {
                await PrepareAsync(PodWith(Volume("h", "hostPath", new JsonObject { ["path"] = path, ["type"] = type })));
                return null;
            }
            catch (ContainerConfigException e)
            {
                Assert.Equal("FailedMount", e.Reason);
                return e.Message;
            }
        }

        Assert.Null(await Check(root, "Directory"));
        Assert.Equal($"MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: {file} is not a directory", await Check(file, "Directory"));
        Assert.Equal($"MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: {root}/nope is not a directory", await Check(root + "/nope", "Directory"));
        Assert.Null(await Check(root + "/made/deep", "DirectoryOrCreate"));
        Assert.True(Directory.Exists(root + "/made/deep"));
        Assert.Null(await Check(file, "File"));
        Assert.Equal($"MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: {root} is not a file", await Check(root, "File"));
        Assert.Null(await Check(root + "/new-file", "FileOrCreate"));
        Assert.Equal("", File.ReadAllText(root + "/new-file"));
        Assert.Null(await Check(socketPath, "Socket"));
        Assert.Equal($"MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: {file} is not a socket file", await Check(file, "Socket"));
        Assert.Null(await Check("/dev/null", "CharDevice"));
        Assert.Null(await Check(root + "/anything", ""));
        Assert.Equal("MountVolume.SetUp failed for volume \"h\" : Weird is an invalid volume type", await Check(root, "Weird"));
    }

    [Fact]
    public async Task UnsupportedVolumeType_IsFailedMount()
    {
        var pod = PodWith(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "x" } });

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => PrepareAsync(pod));

        Assert.StartsWith("MountVolume.SetUp failed for volume \"data\" : unsupported volume type", e.Message);
    }

    [Fact]
    public async Task Cleanup_RemovesTheVolumesAndThePodFolder_ButNotHostPaths()
    {
        _data.Objects.ConfigMap("shop", "settings", ("a", "1"));
        var hostDir = Path.Combine(_data.Root, "keep");
        Directory.CreateDirectory(hostDir);
        File.WriteAllText(Path.Combine(hostDir, "precious"), "x");
        var pod = PodWith(
            Volume("config", "configMap", new JsonObject { ["name"] = "settings" }),
            Volume("scratch", "emptyDir", new JsonObject()),
            Volume("host", "hostPath", new JsonObject { ["path"] = hostDir }));
        var volumes = _data.VolumeDirectory(pod);
        await PrepareAsync(pod);
        _data.EtcFiles().WriteAll(pod, volumes, "10.244.1.5");
        File.WriteAllText(Path.Combine(volumes, "kubernetes.io~empty-dir", "scratch", "data"), Encoding.UTF8.GetString(new byte[] { 65 }));

        await _data.Volumes(_time).CleanupAsync(volumes, default);

        Assert.False(Directory.Exists(Path.GetDirectoryName(volumes)));
        Assert.True(File.Exists(Path.Combine(hostDir, "precious")));
    }

    [Fact]
    public void AtomicWriter_RejectsPathsThatEscape()
    {
        var writer = new AtomicWriter(_time);
        var target = Path.Combine(_data.Root, "atomic");

        Assert.Throws<ArgumentException>(() => writer.Write(target, new Dictionary<string, VolumeFile> { ["../x"] = new([], PodVolumes.DefaultFileMode) }));
        Assert.Throws<ArgumentException>(() => writer.Write(target, new Dictionary<string, VolumeFile> { ["/abs"] = new([], PodVolumes.DefaultFileMode) }));
        Assert.Throws<ArgumentException>(() => writer.Write(target, new Dictionary<string, VolumeFile> { ["..data"] = new([], PodVolumes.DefaultFileMode) }));
    }
}
