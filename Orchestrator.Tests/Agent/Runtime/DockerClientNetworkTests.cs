using System.Net;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class DockerClientNetworkTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    [Fact]
    public async Task Network_WithSubnet_ContainerConnected_GetsAnAddressInIt_ThenRemoved()
    {
        var name = $"orch-test-{RunId}";
        var net = $"10.250.{RandomSubnetOctet()}";
        var networkId = await Docker.CreateNetworkAsync(new NetworkCreateRequest
        {
            Name = name,
            Driver = "bridge",
            IPAM = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = $"{net}.0/24", Gateway = $"{net}.1" }] },
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_ip_masquerade"] = "false" },
            Labels = Labels(),
        }, Ct);

        var container = await RunAsync(Shell("sleep 60"));
        await Docker.ConnectNetworkAsync(name, container, new EndpointSettings
        {
            IPAMConfig = new EndpointIpamConfig { IPv4Address = $"{net}.42" },
        }, Ct);

        var network = await Docker.InspectNetworkAsync(networkId, Ct);
        Assert.Equal(name, network.Name);
        Assert.Equal("bridge", network.Driver);
        Assert.Equal($"{net}.0/24", network.IPAM!.Config!.Single().Subnet);
        Assert.Equal($"{net}.1", network.IPAM.Config!.Single().Gateway);
        Assert.Equal("false", network.Options!["com.docker.network.bridge.enable_ip_masquerade"]);
        Assert.Equal($"{net}.42/24", network.Containers![container].IPv4Address);

        var inspect = await Docker.InspectContainerAsync(container, Ct);
        Assert.Equal($"{net}.42", inspect.NetworkSettings!.Networks![name].IPAddress);
        Assert.Equal(networkId, inspect.NetworkSettings.Networks[name].NetworkID);

        var listed = await Docker.ListNetworksAsync(new Dictionary<string, IReadOnlyList<string>> { ["label"] = [RunLabel] }, Ct);
        Assert.Equal([networkId], listed.Select(n => n.Id));

        // In use: removing fails until the container leaves.
        var busy = await Assert.ThrowsAsync<DockerApiException>(() => Docker.RemoveNetworkAsync(networkId, Ct));
        Assert.NotEqual(HttpStatusCode.NotFound, busy.StatusCode);
        await Docker.DisconnectNetworkAsync(networkId, container, force: false, Ct);
        Assert.Empty((await Docker.InspectNetworkAsync(networkId, Ct)).Containers ?? []);
        await Docker.RemoveNetworkAsync(networkId, Ct);
        Assert.Null(await Docker.TryInspectNetworkAsync(networkId, Ct));
    }

    [Fact]
    public async Task Create_OnANetwork_GetsItsAddressFromTheStart()
    {
        var name = $"orch-test-{RunId}";
        var net = $"10.250.{RandomSubnetOctet()}";
        await Docker.CreateNetworkAsync(new NetworkCreateRequest
        {
            Name = name,
            IPAM = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = $"{net}.0/24", Gateway = $"{net}.1" }] },
            Labels = Labels(),
        }, Ct);
        var request = Shell("ip -4 -o addr show eth0");
        request.HostConfig!.NetworkMode = name;

        var id = await RunAsync(request);
        await Docker.WaitContainerAsync(id, WaitCondition.NotRunning, Ct);

        // The address is released when the container stops, so read it from inside.
        var (stdout, _) = await LogsAsync(id);
        Assert.Contains($"inet {net}.", stdout);
        Assert.True((await Docker.InspectContainerAsync(id, Ct)).NetworkSettings!.Networks!.ContainsKey(name));
    }

    [Fact]
    public async Task SharedNetworkNamespace_ReachesTheOtherContainerOnLocalhost()
    {
        var server = Shell("echo pod-ok > /www/index.html; exec httpd -f -p 8080 -h /www");
        server.Hostname = "sandbox";
        var serverId = await RunAsync(server);

        // Busybox's `wget -T` crashes in this build; `timeout` bounds each try instead.
        var client = Shell("for i in $(seq 1 50); do timeout 5 wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1");
        client.HostConfig!.NetworkMode = "container:" + serverId;
        var clientId = await RunAsync(client);

        Assert.Equal(0, await Docker.WaitContainerAsync(clientId, WaitCondition.NotRunning, Ct));
        Assert.Equal("pod-ok\n", (await LogsAsync(clientId)).Stdout);
        Assert.Equal("container:" + serverId, (await Docker.InspectContainerAsync(clientId, Ct)).HostConfig!.NetworkMode);
    }

    [Fact]
    public async Task PortBinding_PublishesOnLoopback_AndCapabilitiesApply()
    {
        var hostPort = FreeLoopbackPort();
        var request = Shell("grep CapEff /proc/self/status > /www/caps; echo published > /www/index.html; exec httpd -f -p 8080 -h /www");
        request.ExposedPorts = new Dictionary<string, EmptyObject> { ["8080/tcp"] = new() };
        request.HostConfig!.PortBindings = new Dictionary<string, List<PortBinding>>
        {
            ["8080/tcp"] = [new PortBinding { HostIp = "127.0.0.1", HostPort = hostPort.ToString() }],
        };
        request.HostConfig.CapDrop = ["ALL"];
        request.HostConfig.CapAdd = ["NET_BIND_SERVICE"];
        var id = await RunAsync(request);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        for (var i = 0; i < 50 && body is null; i++)
        {
            try
            {
                body = await http.GetStringAsync($"http://127.0.0.1:{hostPort}/", Ct);
            }
            catch (HttpRequestException)
            {
                // httpd not listening yet.
                await Task.Delay(100, Ct);
            }
        }
        Assert.Equal("published\n", body);
        // CAP_NET_BIND_SERVICE is bit 10: with every other capability dropped the effective set is 0x400.
        Assert.EndsWith("0000000000000400\n", await http.GetStringAsync($"http://127.0.0.1:{hostPort}/caps", Ct));

        var inspect = await Docker.InspectContainerAsync(id, Ct);
        Assert.Equal(hostPort.ToString(), inspect.NetworkSettings!.Ports!["8080/tcp"]!.Single(b => b.HostIp == "127.0.0.1").HostPort);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
