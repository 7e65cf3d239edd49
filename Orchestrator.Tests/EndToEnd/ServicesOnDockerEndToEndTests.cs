using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 5's service scenarios on real containers, through the agent's real data path: cluster IPs on the host's lo,
/// the L4 proxy, node ports, LoadBalancer and external IPs, the DNS responder (asked with dig on the node and by
/// names inside pods with busybox wget), UDP, PROXY protocol, readiness and deletion. Traffic goes only to addresses
/// of this host (checked with <see cref="AgentClusterFixture.AssertLocalAsync"/>) and the cluster's own pods.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class ServicesOnDockerEndToEndTests(AgentClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const string Image = AgentClusterFixture.Image;

    /// <summary>The seeds' hostname server: busybox httpd answering its pod's name on 8080 (and 8443).</summary>
    private static string HostnameDeployment(string name, int replicas, string readiness = "httpGet:\n            path: /\n            port: 8080") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{{name}}}
        spec:
          replicas: {{{replicas}}}
          selector:
            matchLabels:
              app: {{{name}}}
          template:
            metadata:
              labels:
                app: {{{name}}}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: web
                image: {{{Image}}}
                command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && httpd -p 8443 -h /www && exec httpd -f -p 8080 -h /www"]
                ports:
                - name: http
                  containerPort: 8080
                - name: https
                  containerPort: 8443
                readinessProbe:
                  periodSeconds: 1
                  {{{readiness}}}
        """;

    private static string ClientPod(string name = "client") => $$$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{{name}}}
        spec:
          terminationGracePeriodSeconds: 0
          containers:
          - name: sh
            image: {{{Image}}}
            command: ["sleep", "3600"]
        """;

    [Fact]
    public async Task ClusterIp_AnswersByIpAndName_RoundRobinsOverThePods_AndAReplacementJoins()
    {
        const string ns = "svc-rr";
        await cluster.CreateNamespaceAsync(ns);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 3), ns);
        await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
            """, ns);
        await cluster.ApplyAsync(ClientPod(), ns);
        var pods = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 3);
        await cluster.WaitPodReadyAsync("client", ns);
        var ip = await ClusterIpAsync(ns, "hostname");

        // From the node: every pod answers in turn.
        var seen = await HostGetManyAsync($"http://{ip}/", 3 * 6);
        Assert.Equal(pods.OrderBy(p => p), seen.Distinct().OrderBy(p => p));

        // From a pod, by IP and by every form of the name its resolv.conf search path allows.
        foreach (var target in new[] { ip, "hostname", $"hostname.{ns}", $"hostname.{ns}.svc", $"hostname.{ns}.svc.cluster.local" })
            Assert.Contains(await PodGetAsync(ns, "client", $"http://{target}/"), pods);

        // Seed 002 §8: a pod started after the service has its docker-link style variables.
        var env = (await cluster.Kubectl.RunAsync("-n", ns, "exec", "client", "--", "env")).Ok().StdOut;
        foreach (var line in new[] { $"HOSTNAME_SERVICE_HOST={ip}", "HOSTNAME_SERVICE_PORT=80", $"HOSTNAME_PORT=tcp://{ip}:80",
                     $"HOSTNAME_PORT_80_TCP=tcp://{ip}:80", "HOSTNAME_PORT_80_TCP_PROTO=tcp", "HOSTNAME_PORT_80_TCP_PORT=80", $"HOSTNAME_PORT_80_TCP_ADDR={ip}" })
            Assert.Contains(line, env.Split('\n'));

        // The node's DNS answers the FQDN with the cluster IP.
        Assert.Equal(ip, (await DigShortAsync($"hostname.{ns}.svc.cluster.local")).Single());

        // A deleted pod's replacement joins the rotation; the deleted one leaves it.
        var victim = pods[0];
        (await cluster.Kubectl.RunAsync("-n", ns, "delete", "pod", victim, "--wait=false")).Ok();
        var healed = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 3, except: [victim]);
        await cluster.EventuallyAsync(async () =>
        {
            var now = (await HostGetManyAsync($"http://{ip}/", 12)).Distinct().ToHashSet();
            return now.SetEquals(healed) ? "rotation" : null;
        }, Timeout, "the replacement pod in the rotation and the deleted one out of it");
    }

    [Fact]
    public async Task SessionAffinityClientIp_PinsOnePod()
    {
        const string ns = "svc-affinity";
        await cluster.CreateNamespaceAsync(ns);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 3), ns);
        await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              sessionAffinity: ClientIP
              sessionAffinityConfig:
                clientIP:
                  timeoutSeconds: 600
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: http
            """, ns);
        await cluster.WaitRunningPodsAsync(ns, "app=hostname", 3);
        var ip = await ClusterIpAsync(ns, "hostname");

        var answers = await HostGetManyAsync($"http://{ip}/", 15);
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task MultiPortService_WithNamedTargetPorts_ServesBothPorts_AndPublishesSrv()
    {
        const string ns = "svc-multi";
        await cluster.CreateNamespaceAsync(ns);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 1), ns);
        await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              selector:
                app: hostname
              ports:
              - name: http
                port: 80
                targetPort: http
              - name: https
                port: 443
                targetPort: https
            """, ns);
        var pod = (await cluster.WaitRunningPodsAsync(ns, "app=hostname", 1)).Single();
        var ip = await ClusterIpAsync(ns, "hostname");

        Assert.Equal(pod, await HostGetAsync($"http://{ip}:80/"));
        Assert.Equal(pod, await HostGetAsync($"http://{ip}:443/")); // plain HTTP: the backend port 8443 is httpd too

        var srv = await DigShortAsync($"_https._tcp.hostname.{ns}.svc.cluster.local", "SRV");
        Assert.Contains(srv, r => r.Split(' ') is [_, _, "443", var target] && target == $"hostname.{ns}.svc.cluster.local.");
    }

    [Fact]
    public async Task NodePort_FixedAndAllocated_AnswerOnTheNodeAddress()
    {
        const string ns = "svc-nodeport";
        await cluster.CreateNamespaceAsync(ns);
        var fixedPort = Random.Shared.Next(30100, 30900);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 2), ns);
        await cluster.ApplyAsync($$$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: fixed
            spec:
              type: NodePort
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
                nodePort: {{{fixedPort}}}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: allocated
            spec:
              type: NodePort
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
            """, ns);
        var pods = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 2);
        var allocated = int.Parse((await cluster.Kubectl.RunAsync("-n", ns, "get", "svc", "allocated", "-o", "jsonpath={.spec.ports[0].nodePort}")).Ok().StdOut);
        var nodeIp = await NodeInternalIpAsync();

        foreach (var port in new[] { fixedPort, allocated })
            Assert.Contains(await EventuallyGetAsync($"http://{nodeIp}:{port}/"), pods);
    }

    [Fact]
    public async Task LoadBalancer_IngressIp_AndExternalIps_ServeTheServicePort()
    {
        const string ns = "svc-lb";
        await cluster.CreateNamespaceAsync(ns);
        var lbPort = Random.Shared.Next(18000, 19000);
        var externalPort = lbPort + 1000;
        var hostIp = await HostGlobalIpAsync();
        await cluster.ApplyAsync(HostnameDeployment("hostname", 1), ns);
        await cluster.ApplyAsync($$$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: lb
            spec:
              type: LoadBalancer
              selector:
                app: hostname
              ports:
              - port: {{{lbPort}}}
                targetPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: ext
            spec:
              externalIPs: ["{{{hostIp}}}"]
              selector:
                app: hostname
              ports:
              - port: {{{externalPort}}}
                targetPort: 8080
            """, ns);
        var pod = (await cluster.WaitRunningPodsAsync(ns, "app=hostname", 1)).Single();
        var ingress = await cluster.EventuallyAsync(async () =>
        {
            var r = await cluster.Kubectl.RunAsync("-n", ns, "get", "svc", "lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
            return r.StdOut.Length > 0 ? r.StdOut : null;
        }, Timeout, "a LoadBalancer ingress IP");

        Assert.Equal(pod, await EventuallyGetAsync($"http://{ingress}:{lbPort}/"));
        Assert.Equal(pod, await EventuallyGetAsync($"http://{hostIp}:{externalPort}/"));
    }

    [Fact]
    public async Task Dns_HeadlessExternalNamePtrAndCrossNamespace()
    {
        const string ns = "svc-dns";
        const string other = "svc-dns-client";
        await cluster.CreateNamespaceAsync(ns);
        await cluster.CreateNamespaceAsync(other);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 2), ns);
        await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: headless
            spec:
              clusterIP: None
              selector:
                app: hostname
              ports:
              - name: http
                port: 80
                targetPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: external
            spec:
              type: ExternalName
              externalName: api.example.org
            """, ns);
        await cluster.ApplyAsync(ClientPod(), other);
        var pods = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 2);
        var podIps = new List<string>();
        foreach (var p in pods) podIps.Add((await cluster.GetPodAsync(p, ns))!["status"].Str("podIP")!);
        var ip = await ClusterIpAsync(ns, "hostname");

        // Headless: the ready pods' IPs.
        var headless = await cluster.EventuallyAsync(async () =>
        {
            var a = await DigShortAsync($"headless.{ns}.svc.cluster.local");
            return a.Count == 2 ? a : null;
        }, Timeout, "two A records for the headless service");
        Assert.Equal(podIps.OrderBy(x => x), headless.OrderBy(x => x));
        // ExternalName: a CNAME.
        Assert.Equal("api.example.org.", (await DigShortAsync($"external.{ns}.svc.cluster.local", "CNAME")).Single());
        // PTR of the cluster IP.
        Assert.Equal($"hostname.{ns}.svc.cluster.local.", (await DigShortAsync("-x", ip)).Single());
        // A name nobody has: NXDOMAIN.
        var missing = await HostCommand.RunAsync("dig", $"@{cluster.DnsIp}", "+tries=2", "+time=3", $"nothing.{ns}.svc.cluster.local");
        Assert.Contains("status: NXDOMAIN", missing.StdOut);
        // A pod in another namespace reaches the service as svc.ns (seed 003).
        await cluster.WaitPodReadyAsync("client", other);
        Assert.Contains(await PodGetAsync(other, "client", $"http://hostname.{ns}/"), pods);
    }

    [Fact]
    public async Task SelectorlessService_RoutesToHandWrittenEndpoints_OverTcpAndUdp_WithProxyProtocol()
    {
        const string ns = "svc-manual";
        await cluster.CreateNamespaceAsync(ns);
        var hostIp = await HostGlobalIpAsync();
        using var tcp = new TcpListener(IPAddress.Parse(hostIp), 0);
        tcp.Start();
        var tcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Parse(hostIp), 0));
        var udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        await cluster.ApplyAsync($$$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: manual
              annotations:
                orchestrator.io/proxy-protocol: v1
            spec:
              ports:
              - name: tcp
                port: 9000
                protocol: TCP
              - name: udp
                port: 9001
                protocol: UDP
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: manual
            subsets:
            - addresses:
              - ip: {{{hostIp}}}
              ports:
              - name: tcp
                port: {{{tcpPort}}}
                protocol: TCP
              - name: udp
                port: {{{udpPort}}}
                protocol: UDP
            """, ns);
        var ip = await ClusterIpAsync(ns, "manual");

        // TCP: the backend first reads the PROXY header naming the real client, then the client's bytes.
        var accept = tcp.AcceptTcpClientAsync();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Parse(ip), 9000);
            await client.GetStream().WriteAsync("hello\n"u8.ToArray());
            using var backend = await accept.WaitAsync(TimeSpan.FromSeconds(10));
            var reader = new StreamReader(backend.GetStream(), Encoding.ASCII);
            var header = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.StartsWith("PROXY TCP4 ", header);
            Assert.Contains($" {ip} ", header); // the destination the client dialled
            Assert.EndsWith(" 9000", header);
            Assert.Equal("hello", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            await backend.GetStream().WriteAsync("world\n"u8.ToArray());
            var answer = new StreamReader(client.GetStream(), Encoding.ASCII);
            Assert.Equal("world", await answer.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // UDP: a datagram to the cluster IP reaches the backend, whose reply comes back from the cluster IP.
        using var sender = new UdpClient(AddressFamily.InterNetwork);
        await sender.SendAsync("ping"u8.ToArray(), new IPEndPoint(IPAddress.Parse(ip), 9001));
        var received = await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", Encoding.ASCII.GetString(received.Buffer));
        await udp.SendAsync("pong"u8.ToArray(), received.RemoteEndPoint);
        var reply = await sender.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pong", Encoding.ASCII.GetString(reply.Buffer));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), 9001), reply.RemoteEndPoint);
    }

    [Fact]
    public async Task DeletingABackendPod_FailsNoRequest_AndAnUnreadyPodLeavesTheRotation()
    {
        const string ns = "svc-churn";
        await cluster.CreateNamespaceAsync(ns);
        await cluster.ApplyAsync(HostnameDeployment("hostname", 3, readiness: "exec:\n            command: [\"cat\", \"/tmp/ready\"]"), ns);
        await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
            """, ns);
        var pods = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 3);
        var ip = await ClusterIpAsync(ns, "hostname");
        await HostGetManyAsync($"http://{ip}/", 3);

        // Requests keep flowing while a pod is deleted: none fails.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var requests = 0;
        var load = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{ip}/");
                    request.Headers.ConnectionClose = true;
                    (await http.SendAsync(request)).EnsureSuccessStatusCode();
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e.Message);
                }
                Interlocked.Increment(ref requests);
                await Task.Delay(20);
            }
        });
        (await cluster.Kubectl.RunAsync("-n", ns, "delete", "pod", pods[0], "--wait=true")).Ok();
        var healed = await cluster.WaitRunningPodsAsync(ns, "app=hostname", 3, except: [pods[0]]);
        await Task.Delay(1000);
        stop.Cancel();
        await load;
        Assert.True(requests > 20, $"only {requests} requests were sent");
        Assert.Empty(failures);

        // A pod whose readiness fails gets no more traffic.
        var unready = healed[0];
        (await cluster.Kubectl.RunAsync("-n", ns, "exec", unready, "--", "rm", "/tmp/ready")).Ok();
        await cluster.EventuallyAsync(async () =>
        {
            var answers = await HostGetManyAsync($"http://{ip}/", 12);
            return answers.Contains(unready) ? null : "out";
        }, Timeout, $"{unready} out of the rotation");
    }

    [Fact]
    public async Task NodePortTakenByAnotherProcess_IsReportedOnTheService()
    {
        const string ns = "svc-conflict";
        await cluster.CreateNamespaceAsync(ns);
        var port = Random.Shared.Next(31000, 32700);
        using var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        await cluster.ApplyAsync($$$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: squatted
            spec:
              type: NodePort
              selector:
                app: nothing
              ports:
              - port: 80
                nodePort: {{{port}}}
            """, ns);

        var message = await cluster.EventuallyAsync(async () =>
        {
            var r = await cluster.Kubectl.RunAsync("-n", ns, "get", "events", "--field-selector", "involvedObject.name=squatted,reason=PortNotAvailable",
                "-o", "jsonpath={.items[*].message}");
            return r.StdOut.Length > 0 ? r.StdOut : null;
        }, Timeout, "a PortNotAvailable event on the service");
        Assert.Contains($"127.0.0.1:{port}", message);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private async Task<string> ClusterIpAsync(string ns, string service)
    {
        var ip = (await cluster.Kubectl.RunAsync("-n", ns, "get", "svc", service, "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut;
        // The agent puts it on lo; until then the unreachable route answers. Never send before it is local.
        await cluster.EventuallyAsync(async () =>
            (await HostCommand.RunAsync("ip", "route", "get", ip)).StdOut.StartsWith("local ", StringComparison.Ordinal) ? "local" : null,
            Timeout, $"{ip} local on the node");
        return ip;
    }

    private async Task<string> NodeInternalIpAsync()
    {
        var ip = (await cluster.Kubectl.RunAsync("get", "node", AgentClusterFixture.NodeName, "-o",
            "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")).Ok().StdOut;
        await AgentClusterFixture.AssertLocalAsync(ip);
        return ip;
    }

    /// <summary>The host's first global-scope IPv4 address (a non-loopback address of this machine).</summary>
    private static async Task<string> HostGlobalIpAsync()
    {
        var r = (await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show", "scope", "global")).Ok();
        var line = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).First(l => !l.Contains("docker0") && !l.Contains(" orch"));
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ip = parts[Array.IndexOf(parts, "inet") + 1].Split('/')[0];
        await AgentClusterFixture.AssertLocalAsync(ip);
        return ip;
    }

    private static async Task<string> HostGetAsync(string url)
    {
        await AgentClusterFixture.AssertLocalAsync(new Uri(url).Host);
        var r = await HostCommand.RunAsync("curl", "-sS", "--max-time", "5", "-H", "Connection: close", url);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"curl {url}: {r.StdErr}");
        return r.StdOut.Trim();
    }

    private async Task<string> EventuallyGetAsync(string url) =>
        await cluster.EventuallyAsync(async () =>
        {
            try
            {
                return await HostGetAsync(url);
            }
            catch (Xunit.Sdk.XunitException)
            {
                return null;
            }
        }, Timeout, $"an answer from {url}");

    /// <summary>n requests, each on a new connection (the proxy balances connections, not requests).</summary>
    private async Task<List<string>> HostGetManyAsync(string url, int n)
    {
        var answers = new List<string>();
        await EventuallyGetAsync(url);
        for (var i = 0; i < n; i++) answers.Add(await HostGetAsync(url));
        return answers;
    }

    private async Task<string> PodGetAsync(string ns, string pod, string url)
    {
        var r = await cluster.Kubectl.RunAsync("-n", ns, "exec", pod, "--", "timeout", "10", "wget", "-qO-", url);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"wget {url} in {ns}/{pod}: {r.Output}");
        return r.StdOut.Trim();
    }

    /// <summary><c>dig +short</c> against the node's DNS responder; one answer per line.</summary>
    private async Task<List<string>> DigShortAsync(params string[] query)
    {
        await AgentClusterFixture.AssertLocalAsync(cluster.DnsIp);
        string[] args = [$"@{cluster.DnsIp}", "+short", "+tries=2", "+time=3", .. query];
        var r = (await HostCommand.RunAsync("dig", args)).Ok();
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
