using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Pods.Spec;

/// <summary>
/// A pod built by <see cref="ContainerConfigFactory"/> and <see cref="PodVolumes"/> on the real dockerd: a busybox
/// sandbox (<c>sleep 3600</c> standing in for pause) on the bridge network <c>podspec-test</c>, and two app
/// containers joined to it. Checked from inside with exec: env (incl. service variables), the pod's /etc files,
/// hostname, configMap/secret files (and a refresh), and localhost between the two containers.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class PodSpecDockerTests(DockerFixture fixture) : DockerTestBase(fixture), IDisposable
{
    private const string NetworkName = "podspec-test";
    private const string Subnet = "10.250.77.0/24";
    private readonly PodSpecTestData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Pod_ContainersShareLocalhost_SeeEnvEtcFilesAndVolumes()
    {
        await CreateNetworkAsync();
        _data.Objects
            .ConfigMap("podspec", "settings", ("greeting", "hello"))
            .Secret("podspec", "creds", ("password", "s3cr3t"))
            .Service("podspec", "auth-service", "10.96.0.77", ("http", 3000, "TCP"))
            .Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP"));
        var pod = PodSpecTestData.Pod(name: "podspec-web", ns: "podspec", container: new JsonObject
        {
            ["name"] = "server",
            ["command"] = new JsonArray("sh", "-c"),
            ["args"] = new JsonArray("while true; do echo hello-from-$(POD_NAME) | nc -l -p 8080; done"),
            ["env"] = new JsonArray(new JsonObject
            {
                ["name"] = "POD_NAME",
                ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
            }),
        }, spec: new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 1,
            ["volumes"] = new JsonArray(
                new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = "settings" } },
                new JsonObject { ["name"] = "creds", ["secret"] = new JsonObject { ["secretName"] = "creds", ["defaultMode"] = 256 } },
                new JsonObject { ["name"] = "shared", ["emptyDir"] = new JsonObject() }),
        });
        ((JsonArray)pod["spec"]!["containers"]!).Add(new JsonObject
        {
            ["name"] = "client",
            ["image"] = DockerFixture.Image,
            ["command"] = new JsonArray("sleep", "3600"),
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "GREETING", ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "settings", ["key"] = "greeting" } } },
                new JsonObject { ["name"] = "PASSWORD", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "creds", ["key"] = "password" } } },
                new JsonObject { ["name"] = "MESSAGE", ["value"] = "$(GREETING) world" },
                new JsonObject { ["name"] = "MY_IP", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } } }),
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/config", ["readOnly"] = true },
                new JsonObject { ["name"] = "creds", ["mountPath"] = "/etc/creds", ["readOnly"] = true },
                new JsonObject { ["name"] = "shared", ["mountPath"] = "/shared" }),
        });
        var volumes = _data.Volumes();
        var volumeDirectory = _data.VolumeDirectory(pod);

        // 1. the sandbox, on the pod network; its address is the pod's
        var factory = _data.Factory();
        var sandboxRequest = factory.Sandbox(_data.Context(pod, podIp: null), NetworkName, DockerFixture.Image, 0);
        sandboxRequest.Cmd = ["sleep", "3600"];
        var sandbox = await CreatePodContainerAsync(pod, sandboxRequest, PodContainerLabels.SandboxContainerName);
        await Docker.StartContainerAsync(sandbox, Ct);
        var podIp = (await Docker.InspectContainerAsync(sandbox, Ct)).NetworkSettings!.Networks![NetworkName].IPAddress!;
        Assert.StartsWith("10.250.77.", podIp);

        // 2. volumes, then the app containers joined to the sandbox
        await volumes.PrepareAsync(pod, volumeDirectory, Ct);
        var context = new PodContext(pod, "podspec-node", "192.168.77.10", podIp, sandbox, volumeDirectory);
        var containers = (JsonArray)pod["spec"]!["containers"]!;
        var server = await CreatePodContainerAsync(pod,
            await factory.ContainerAsync(context, (JsonObject)containers[0]!, PodContainerLabels.AppKind, 0, Ct), "server");
        var client = await CreatePodContainerAsync(pod,
            await factory.ContainerAsync(context, (JsonObject)containers[1]!, PodContainerLabels.AppKind, 0, Ct), "client");
        await Docker.StartContainerAsync(server, Ct);
        await Docker.StartContainerAsync(client, Ct);

        // 3. what the client sees
        var env = (await ExecAsync(client, "env")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("hello", env["GREETING"]);
        Assert.Equal("s3cr3t", env["PASSWORD"]);
        Assert.Equal("hello world", env["MESSAGE"]);
        Assert.Equal(podIp, env["MY_IP"]);
        Assert.Equal("10.96.0.77", env["AUTH_SERVICE_SERVICE_HOST"]);
        Assert.Equal("tcp://10.96.0.77:3000", env["AUTH_SERVICE_PORT_3000_TCP"]);
        Assert.Equal("10.96.0.1", env["KUBERNETES_SERVICE_HOST"]);

        Assert.Equal("nameserver 10.96.0.10\nsearch podspec.svc.cluster.local svc.cluster.local cluster.local lab.example\noptions ndots:5\n",
            (await ExecAsync(client, "cat /etc/resolv.conf")).Output);
        var hosts = (await ExecAsync(client, "cat /etc/hosts")).Output;
        Assert.Contains("127.0.0.1\tlocalhost\n", hosts);
        Assert.Contains($"{podIp}\tpodspec-web\n", hosts);
        Assert.Equal("podspec-web\n", (await ExecAsync(client, "hostname")).Output);
        Assert.Equal("podspec-web\n", (await ExecAsync(client, "cat /etc/hostname")).Output);
        Assert.Equal("hello", (await ExecAsync(client, "cat /etc/config/greeting")).Output);
        Assert.Equal("s3cr3t", (await ExecAsync(client, "cat /etc/creds/password")).Output);
        Assert.Equal("400\n", (await ExecAsync(client, "stat -L -c %a /etc/creds/password")).Output);
        Assert.NotEqual(0, (await ExecAsync(client, "echo x > /etc/config/new")).ExitCode); // read-only mount

        // 4. localhost is shared: the client reaches the server's listener; the server sees the shared volume
        var reply = "";
        for (var i = 0; i < 50 && !reply.Contains("hello-from-podspec-web", StringComparison.Ordinal); i++)
        {
            reply = (await ExecAsync(client, "nc 127.0.0.1 8080 </dev/null")).Output;
            if (!reply.Contains("hello-from", StringComparison.Ordinal)) await Task.Delay(100, Ct);
        }
        Assert.Equal("hello-from-podspec-web\n", reply);
        Assert.Equal(0, (await ExecAsync(client, "echo written-by-client > /shared/note")).ExitCode);
        Assert.Equal("written-by-client\n", await File.ReadAllTextAsync(Path.Combine(volumeDirectory, "kubernetes.io~empty-dir", "shared", "note"), Ct));

        // 5. a changed ConfigMap reaches the running container through the ..data swap
        _data.Objects.ConfigMap("podspec", "settings", ("greeting", "bonjour"));
        await volumes.PrepareAsync(pod, volumeDirectory, Ct);
        Assert.Equal("bonjour", (await ExecAsync(client, "cat /etc/config/greeting")).Output);

        // 6. cleanup removes the pod folder once the containers are gone
        foreach (var id in new[] { client, server, sandbox })
            await Docker.RemoveContainerAsync(id, force: true, volumes: true, Ct);
        await volumes.CleanupAsync(volumeDirectory, Ct);
        Assert.False(Directory.Exists(Path.GetDirectoryName(volumeDirectory)));
    }

    [Fact]
    public async Task Sandbox_PublishesHostPorts_AndAppliesLimits()
    {
        await CreateNetworkAsync();
        var pod = PodSpecTestData.Pod(name: "podspec-ports", ns: "podspec", container: new JsonObject
        {
            ["command"] = new JsonArray("sleep", "3600"),
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["hostPort"] = 38077, ["hostIP"] = "127.0.0.1" }),
            ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "64Mi" } },
            ["securityContext"] = new JsonObject { ["runAsUser"] = 65534, ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") } },
        });
        var factory = _data.Factory();
        var sandboxRequest = factory.Sandbox(_data.Context(pod, podIp: null), NetworkName, DockerFixture.Image, 0);
        sandboxRequest.Cmd = ["sleep", "3600"];
        var sandbox = await CreatePodContainerAsync(pod, sandboxRequest, PodContainerLabels.SandboxContainerName);
        await Docker.StartContainerAsync(sandbox, Ct);
        var podIp = (await Docker.InspectContainerAsync(sandbox, Ct)).NetworkSettings!.Networks![NetworkName].IPAddress!;
        var context = new PodContext(pod, "podspec-node", "192.168.77.10", podIp, sandbox, _data.VolumeDirectory(pod));
        var app = await CreatePodContainerAsync(pod,
            await factory.ContainerAsync(context, PodSpecTestData.ContainerOf(pod), PodContainerLabels.AppKind, 0, Ct), "app");
        await Docker.StartContainerAsync(app, Ct);

        var inspect = await Docker.InspectContainerAsync(app, Ct);
        Assert.Equal(64L * 1024 * 1024, inspect.HostConfig!.Memory);
        Assert.Equal(50_000L, inspect.HostConfig.CpuQuota);
        Assert.Equal("65534\n", (await ExecAsync(app, "id -u")).Output);
        var sandboxInspect = await Docker.InspectContainerAsync(sandbox, Ct);
        Assert.Equal("38077", sandboxInspect.HostConfig!.PortBindings!["8080/tcp"].Single().HostPort);

        // A listener in the app container answers on the node's host port, through the sandbox.
        Assert.Equal(0, (await ExecAsync(app, "(echo via-host-port | nc -l -p 8080 &) ; sleep 0.2")).ExitCode);
        string? got = null;
        for (var i = 0; i < 30 && got == null; i++)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync("127.0.0.1", 38077, Ct);
                using var reader = new StreamReader(tcp.GetStream());
                got = await reader.ReadLineAsync(Ct);
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100, Ct);
            }
        }
        Assert.Equal("via-host-port", got);
    }

    /// <summary>The test network; one left behind by a crashed run of these tests (same name, suite label) is replaced.</summary>
    private async Task CreateNetworkAsync()
    {
        var existing = await Docker.TryInspectNetworkAsync(NetworkName, Ct);
        if (existing != null)
        {
            if (existing.Labels?.GetValueOrDefault(DockerFixture.SuiteLabelKey) != DockerFixture.SuiteLabelValue)
                throw new InvalidOperationException($"a network named {NetworkName} exists and is not ours");
            foreach (var id in existing.Containers?.Keys.ToList() ?? [])
                await Docker.RemoveContainerAsync(id, force: true, volumes: true, Ct);
            await Docker.RemoveNetworkAsync(NetworkName, Ct);
        }
        await Docker.CreateNetworkAsync(new NetworkCreateRequest
        {
            Name = NetworkName,
            Driver = "bridge",
            IPAM = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = Subnet, Gateway = "10.250.77.1" }] },
            Labels = Labels(),
        }, Ct);
    }

    /// <summary>Creates a container of the pod, named as the agent names them, with the test's cleanup labels added.</summary>
    private async Task<string> CreatePodContainerAsync(JsonObject pod, ContainerCreateRequest request, string container)
    {
        foreach (var (k, v) in Labels()) request.Labels![k] = v;
        var name = PodContainerLabels.DockerName(container, (string)pod["metadata"]!["name"]!, (string)pod["metadata"]!["namespace"]!,
            (string)pod["metadata"]!["uid"]!, 0);
        return await Docker.CreateContainerAsync(name, request, Ct);
    }

    private async Task<(string Output, int ExitCode)> ExecAsync(string container, string script)
    {
        var exec = await Docker.CreateExecAsync(container, new ExecCreateRequest { Cmd = ["sh", "-c", script] }, Ct);
        var output = new StringBuilder();
        await using (var stream = await Docker.StartExecAsync(exec, tty: false, Ct))
            await foreach (var frame in stream.ReadOutputAsync(Ct))
                if (frame.Stream == StdStream.Stdout) output.Append(Encoding.UTF8.GetString(frame.Data));
        while (true)
        {
            var inspect = await Docker.InspectExecAsync(exec, Ct);
            if (!inspect.Running && inspect.ExitCode is { } code) return (output.ToString(), code);
            await Task.Delay(20, Ct);
        }
    }
}
