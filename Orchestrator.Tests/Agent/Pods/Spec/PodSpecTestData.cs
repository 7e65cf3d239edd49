using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

/// <summary>Pods and a factory over temporary folders for the Pods/Spec tests.</summary>
public sealed class PodSpecTestData : IDisposable
{
    public PodSpecTestData()
    {
        Root = Directory.CreateTempSubdirectory("podspec-test-").FullName;
        File.WriteAllText(Path.Combine(Root, "node-resolv.conf"), "nameserver 192.0.2.53\nsearch lab.example\noptions edns0\n");
        File.WriteAllText(Path.Combine(Root, "node-hosts"), "127.0.0.1 localhost\n192.0.2.10 nas.lab.example\n");
        Options = new PodSpecOptions
        {
            HostResolvConfPath = Path.Combine(Root, "node-resolv.conf"),
            SystemdResolvConfPath = Path.Combine(Root, "systemd-resolv.conf"),
            HostHostsPath = Path.Combine(Root, "node-hosts"),
            NodeAllocatableMilliCpu = 2000,
            NodeAllocatableMemory = 4L * 1024 * 1024 * 1024,
        };
    }

    public string Root { get; }
    public PodSpecOptions Options { get; set; }
    public FakeClusterObjects Objects { get; } = new();

    public string VolumeDirectory(JsonObject pod) => Path.Combine(Root, "pods", (string)pod["metadata"]!["uid"]!, "volumes");

    public PodEtcFiles EtcFiles() => new(Options, NullLogger<PodEtcFiles>.Instance);

    public ContainerConfigFactory Factory() => new(Objects, EtcFiles(), Options, NullLogger<ContainerConfigFactory>.Instance);

    public PodVolumes Volumes(TimeProvider? time = null) => new(Objects, Options, time ?? TimeProvider.System, NullLogger<PodVolumes>.Instance);

    public PodContext Context(JsonObject pod, string? podIp = "10.244.1.5") =>
        new(pod, "podspec-node", "192.168.77.10", podIp, "sandbox123", VolumeDirectory(pod));

    /// <summary>A pod in <paramref name="ns"/> with one container <c>app</c>; <paramref name="container"/> is merged into it.</summary>
    public static JsonObject Pod(string name = "web-0", string ns = "shop", JsonObject? container = null, JsonObject? spec = null)
    {
        var c = new JsonObject { ["name"] = "app", ["image"] = "orchestrator-test/busybox:1" };
        foreach (var (k, v) in container ?? []) c[k] = v?.DeepClone();
        var s = new JsonObject { ["nodeName"] = "podspec-node", ["containers"] = new JsonArray(c) };
        foreach (var (k, v) in spec ?? []) s[k] = v?.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = "uid-" + Guid.NewGuid().ToString("N")[..8],
                ["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "front" },
                ["annotations"] = new JsonObject { ["note"] = "say \"hi\"" },
            },
            ["spec"] = s,
        };
    }

    public static JsonObject ContainerOf(JsonObject pod) => (JsonObject)pod["spec"]!["containers"]![0]!;

    public static Dictionary<string, string> EnvOf(Orchestrator.Agent.Runtime.ContainerCreateRequest request) =>
        request.Env!.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed half-way may leave a busy file; the temp folder is cleaned by the OS.
        }
    }
}
