using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class ContainerConfigFactoryTests : IDisposable
{
    private readonly PodSpecTestData _data = new();

    public void Dispose() => _data.Dispose();

    private Task<Orchestrator.Agent.Runtime.ContainerCreateRequest> AppAsync(JsonObject pod) =>
        _data.Factory().ContainerAsync(_data.Context(pod), PodSpecTestData.ContainerOf(pod), PodContainerLabels.AppKind, 2, default);

    [Fact]
    public void Sandbox_OwnsNetworkHostnameHostPortsAndTheEtcFiles()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["ports"] = new JsonArray(
                new JsonObject { ["containerPort"] = 80, ["hostPort"] = 8080 },
                new JsonObject { ["containerPort"] = 53, ["hostPort"] = 5353, ["protocol"] = "UDP", ["hostIP"] = "127.0.0.1" },
                new JsonObject { ["containerPort"] = 9090 }),
        }, spec: new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 5,
            ["securityContext"] = new JsonObject { ["sysctls"] = new JsonArray(new JsonObject { ["name"] = "net.ipv4.ip_unprivileged_port_start", ["value"] = "0" }) },
        });
        var context = _data.Context(pod, podIp: null);

        var request = _data.Factory().Sandbox(context, "orch-pods", "orchestrator/pause:1", 1);

        Assert.Equal("orchestrator/pause:1", request.Image);
        Assert.Equal("web-0", request.Hostname);
        Assert.Equal("orch-pods", request.HostConfig!.NetworkMode);
        Assert.Equal("shareable", request.HostConfig.IpcMode);
        Assert.Equal("no", request.HostConfig.RestartPolicy!.Name);
        Assert.Equal(["53/udp", "80/tcp"], request.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("8080", request.HostConfig.PortBindings!["80/tcp"].Single().HostPort);
        Assert.Equal("", request.HostConfig.PortBindings["80/tcp"].Single().HostIp);
        Assert.Equal("127.0.0.1", request.HostConfig.PortBindings["53/udp"].Single().HostIp);
        Assert.Equal("0", request.HostConfig.Sysctls!["net.ipv4.ip_unprivileged_port_start"]);
        Assert.Equal("POD", request.Labels![PodContainerLabels.ContainerName]);
        Assert.Equal("sandbox", request.Labels[PodContainerLabels.ContainerKind]);
        Assert.Equal("1", request.Labels[PodContainerLabels.Attempt]);
        Assert.Equal("5", request.Labels[PodContainerLabels.GracePeriod]);
        Assert.Equal("podspec-node", request.Labels[PodContainerLabels.Node]);
        Assert.Contains(PodEtcFiles.HostsPath(context.VolumeDirectory) + ":/etc/hosts", request.HostConfig.Binds!);
        Assert.Contains(PodEtcFiles.ResolvConfPath(context.VolumeDirectory) + ":/etc/resolv.conf", request.HostConfig.Binds!);
        Assert.True(File.Exists(PodEtcFiles.ResolvConfPath(context.VolumeDirectory)));
    }

    [Fact]
    public void Sandbox_HostnameAndSubdomain_GiveHostnameAndDomain()
    {
        var pod = PodSpecTestData.Pod(spec: new JsonObject { ["hostname"] = "db-0", ["subdomain"] = "db" });
        var plain = PodSpecTestData.Pod();

        var request = _data.Factory().Sandbox(_data.Context(pod), "orch-pods", "pause", 0);
        var plainRequest = _data.Factory().Sandbox(_data.Context(plain), "orch-pods", "pause", 0);

        Assert.Equal("db-0", request.Hostname);
        Assert.Equal("db.shop.svc.cluster.local", request.Domainname);
        Assert.Equal("web-0", plainRequest.Hostname);
        Assert.Null(plainRequest.Domainname);
    }

    [Fact]
    public void Sandbox_HostNetwork_UsesTheHostsNamespaces_AndPublishesNothing()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["hostPort"] = 80 }) },
            spec: new JsonObject { ["hostNetwork"] = true, ["hostIPC"] = true, ["hostPID"] = true });

        var request = _data.Factory().Sandbox(_data.Context(pod), "orch-pods", "pause", 0);

        Assert.Equal("host", request.HostConfig!.NetworkMode);
        Assert.Equal("host", request.HostConfig.IpcMode);
        Assert.Equal("host", request.HostConfig.PidMode);
        Assert.Null(request.Hostname);
        Assert.Null(request.HostConfig.PortBindings);
    }

    [Fact]
    public async Task App_JoinsTheSandbox_WithLabelsHashAndTty()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject { ["workingDir"] = "/srv", ["tty"] = true, ["stdin"] = true, ["stdinOnce"] = true },
            spec: new JsonObject { ["shareProcessNamespace"] = true });

        var request = await AppAsync(pod);

        Assert.Equal("container:sandbox123", request.HostConfig!.NetworkMode);
        Assert.Equal("container:sandbox123", request.HostConfig.IpcMode);
        Assert.Equal("container:sandbox123", request.HostConfig.PidMode);
        Assert.Null(request.Hostname);
        Assert.Null(request.ExposedPorts);
        Assert.Equal("/srv", request.WorkingDir);
        Assert.Equal("orchestrator-test/busybox:1", request.Image);
        Assert.True(request.Tty);
        Assert.True(request.OpenStdin);
        Assert.True(request.StdinOnce);
        Assert.True(request.AttachStdin);
        Assert.Null(request.StopSignal);
        Assert.Equal("app", request.Labels![PodContainerLabels.ContainerName]);
        Assert.Equal("app", request.Labels[PodContainerLabels.ContainerKind]);
        Assert.Equal("2", request.Labels[PodContainerLabels.Attempt]);
        Assert.Equal("30", request.Labels[PodContainerLabels.GracePeriod]);
        Assert.Equal(_data.Factory().SpecHash(PodSpecTestData.ContainerOf(pod)), request.Labels[PodContainerLabels.SpecHash]);
        Assert.Contains(request.HostConfig.Binds!, b => b.EndsWith(":/etc/hostname", StringComparison.Ordinal));
    }

    [Fact]
    public async Task App_WritesThePodIpIntoTheHostsFile()
    {
        var pod = PodSpecTestData.Pod();

        await AppAsync(pod);

        Assert.Contains("10.244.1.5\tweb-0\n", File.ReadAllText(PodEtcFiles.HostsPath(_data.VolumeDirectory(pod))));
    }

    [Theory]
    [InlineData("100m", null, 102L, 10_000L)]
    [InlineData("500m", "250m", 256L, 50_000L)]
    [InlineData("2", null, 2048L, 200_000L)]
    [InlineData("1m", null, 2L, 1_000L)]
    [InlineData(null, "1", 1024L, null)]
    [InlineData(null, null, 2L, null)]
    public async Task Resources_CpuSharesAndQuota_FollowTheKubeletFormulas(string? limit, string? request, long shares, long? quota)
    {
        var resources = new JsonObject();
        if (limit != null) resources["limits"] = new JsonObject { ["cpu"] = limit };
        if (request != null) resources["requests"] = new JsonObject { ["cpu"] = request };
        var pod = PodSpecTestData.Pod(container: new JsonObject { ["resources"] = resources });

        var host = (await AppAsync(pod)).HostConfig!;

        Assert.Equal(shares, host.CpuShares);
        Assert.Equal(quota, host.CpuQuota);
        Assert.Equal(quota == null ? null : 100_000L, host.CpuPeriod);
    }

    [Fact]
    public async Task Resources_MemoryLimit_IsMemoryAndMemorySwap()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "128Mi" }, ["requests"] = new JsonObject { ["memory"] = "64Mi" } },
        });

        var host = (await AppAsync(pod)).HostConfig!;

        Assert.Equal(128L * 1024 * 1024, host.Memory);
        Assert.Equal(128L * 1024 * 1024, host.MemorySwap);
    }

    [Fact]
    public async Task SecurityContext_ContainerOverridesPod()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["securityContext"] = new JsonObject
            {
                ["runAsUser"] = 1000,
                ["capabilities"] = new JsonObject { ["add"] = new JsonArray("NET_ADMIN"), ["drop"] = new JsonArray("ALL") },
                ["readOnlyRootFilesystem"] = true,
                ["allowPrivilegeEscalation"] = false,
            },
        }, spec: new JsonObject
        {
            ["securityContext"] = new JsonObject { ["runAsUser"] = 500, ["runAsGroup"] = 3000, ["seccompProfile"] = new JsonObject { ["type"] = "Unconfined" } },
        });

        var request = await AppAsync(pod);

        Assert.Equal("1000:3000", request.User);
        Assert.Equal(["NET_ADMIN"], request.HostConfig!.CapAdd);
        Assert.Equal(["ALL"], request.HostConfig.CapDrop);
        Assert.True(request.HostConfig.ReadonlyRootfs);
        Assert.False(request.HostConfig.Privileged);
        Assert.Equal(["no-new-privileges", "seccomp=unconfined"], request.HostConfig.SecurityOpt);
    }

    [Fact]
    public async Task SecurityContext_Privileged_AndPlainUser()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["securityContext"] = new JsonObject { ["privileged"] = true, ["runAsUser"] = 0 },
        });

        var request = await AppAsync(pod);

        Assert.True(request.HostConfig!.Privileged);
        Assert.Equal("0", request.User);
        Assert.Null(request.HostConfig.SecurityOpt);
    }

    [Theory]
    [InlineData("{\"runAsGroup\":10}", "runAsGroup is specified without a runAsUser")]
    [InlineData("{\"runAsUser\":0,\"runAsNonRoot\":true}", "container's runAsUser breaks non-root policy")]
    public async Task SecurityContext_Contradictions_AreConfigErrors(string securityContext, string message)
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject { ["securityContext"] = JsonNode.Parse(securityContext) });

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => AppAsync(pod));

        Assert.Equal("CreateContainerConfigError", e.Reason);
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public async Task VolumeMounts_BecomeBinds_WithSubPathReadOnlyAndExpr()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(new JsonObject { ["name"] = "POD", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } } }),
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "cache", ["mountPath"] = "/cache" },
                new JsonObject { ["name"] = "cache", ["mountPath"] = "/logs", ["subPathExpr"] = "logs/$(POD)" },
                new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/app", ["readOnly"] = true },
                new JsonObject { ["name"] = "host", ["mountPath"] = "/host", ["mountPropagation"] = "HostToContainer", ["readOnly"] = true }),
        }, spec: new JsonObject
        {
            ["volumes"] = new JsonArray(
                new JsonObject { ["name"] = "cache", ["emptyDir"] = new JsonObject() },
                new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = "settings" } },
                new JsonObject { ["name"] = "host", ["hostPath"] = new JsonObject { ["path"] = "/var/log" } }),
        });
        var volumes = _data.VolumeDirectory(pod);

        var binds = (await AppAsync(pod)).HostConfig!.Binds!;

        Assert.Contains($"{volumes}/kubernetes.io~empty-dir/cache:/cache", binds);
        Assert.Contains($"{volumes}/kubernetes.io~empty-dir/cache/logs/web-0:/logs", binds);
        Assert.True(Directory.Exists($"{volumes}/kubernetes.io~empty-dir/cache/logs/web-0"));
        Assert.Contains($"{volumes}/kubernetes.io~configmap/config:/etc/app:ro", binds);
        Assert.Contains("/var/log:/host:ro,rslave", binds);
        Assert.Equal(7, binds.Count); // four mounts and the pod's three /etc files
    }

    [Fact]
    public async Task VolumeMount_OfAnUndeclaredVolume_IsAConfigError()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "ghost", ["mountPath"] = "/x" }),
        });

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => AppAsync(pod));

        Assert.Equal("cannot find volume \"ghost\" to mount into container \"app\"", e.Message);
    }

    [Fact]
    public async Task VolumeMount_AtEtcHosts_ReplacesThePodsHostsFile()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "h", ["mountPath"] = "/etc/hosts" }),
        }, spec: new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["name"] = "h", ["hostPath"] = new JsonObject { ["path"] = "/etc/hosts" } }) });

        var binds = (await AppAsync(pod)).HostConfig!.Binds!;

        Assert.Single(binds, b => b.EndsWith(":/etc/hosts", StringComparison.Ordinal));
        Assert.Contains("/etc/hosts:/etc/hosts", binds);
    }

    [Fact]
    public void SpecHash_IgnoresKeyOrder_ChangesWithAnyValue()
    {
        var a = JsonNode.Parse("{\"name\":\"app\",\"image\":\"nginx:1\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}")!.AsObject();
        var b = JsonNode.Parse("{\"ports\":[{\"name\":\"http\",\"containerPort\":80}],\"image\":\"nginx:1\",\"name\":\"app\"}")!.AsObject();
        var c = JsonNode.Parse("{\"name\":\"app\",\"image\":\"nginx:2\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}")!.AsObject();
        var factory = _data.Factory();

        Assert.Equal(factory.SpecHash(a), factory.SpecHash(b));
        Assert.NotEqual(factory.SpecHash(a), factory.SpecHash(c));
        Assert.Matches("^[0-9a-f]{16}$", factory.SpecHash(a));
    }
}
