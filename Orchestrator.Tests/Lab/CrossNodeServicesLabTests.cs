using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Lab;

/// <summary>
/// Services across several real Docker hosts (issue 5's pod network across nodes, issue 6's lab): distinct pod
/// CIDRs, pods reaching pods and services on every node by IP and by name, node ports and DNS on every node.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public sealed class CrossNodeServicesLabTests(LabClusterFixture lab)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PodsAndServices_AreReachableFromEveryNode_ByIpAndName()
    {
        const string ns = "lab-svc";
        (await lab.Kubectl.RunAsync("create", "namespace", ns)).Ok();
        var nodePort = Random.Shared.Next(30100, 30900);
        await lab.ApplyAsync($$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hostname
            spec:
              replicas: 4
              selector:
                matchLabels:
                  app: hostname
              template:
                metadata:
                  labels:
                    app: hostname
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: {{{LabClusterFixture.Image}}}
                    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    readinessProbe:
                      periodSeconds: 1
                      tcpSocket:
                        port: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: hostname
            spec:
              type: NodePort
              selector:
                app: hostname
              ports:
              - port: 80
                targetPort: 8080
                nodePort: {{{nodePort}}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: client
            spec:
              selector:
                matchLabels:
                  app: client
              template:
                metadata:
                  labels:
                    app: client
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: sh
                    image: {{{LabClusterFixture.Image}}}
                    command: ["sleep", "3600"]
            """, ns);

        // Every node has its own pod CIDR.
        var cidrs = new List<string>();
        foreach (var node in lab.Nodes)
            cidrs.Add((await lab.Kubectl.RunAsync("get", "node", node.Name, "-o", "jsonpath={.spec.podCIDR}")).Ok().StdOut);
        Assert.Equal(lab.Nodes.Count, cidrs.Distinct().Count(c => c.Length > 0));

        var web = await lab.ReadyPodsAsync(ns, "app=hostname", 4);
        var clients = await lab.ReadyPodsAsync(ns, "app=client", lab.Nodes.Count);
        // The scheduler spreads the replicas: every node runs at least one.
        Assert.Equal(lab.Nodes.Count, web.Select(p => p.Node).Distinct().Count());
        Assert.Equal(lab.Nodes.Count, clients.Select(p => p.Node).Distinct().Count());
        var ip = (await lab.Kubectl.RunAsync("-n", ns, "get", "svc", "hostname", "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut;
        var names = web.Select(p => p.Name).ToHashSet();

        foreach (var client in clients)
        {
            // Pod to pod, across nodes, by IP.
            foreach (var target in web)
                Assert.Equal(target.Name, await WgetAsync(ns, client.Name, $"http://{target.Ip}:8080/"));
            // Pod to service, by cluster IP and by name: over enough connections every pod (so every node) answers.
            await lab.EventuallyAsync(async () =>
            {
                var seen = new HashSet<string>();
                for (var i = 0; i < 12; i++) seen.Add(await WgetAsync(ns, client.Name, i % 2 == 0 ? $"http://{ip}/" : "http://hostname/"));
                return seen.SetEquals(names) ? "all" : null;
            }, Timeout, $"every backend pod answering {client.Name} on {client.Node}");
        }

        foreach (var node in lab.Nodes)
        {
            // The node port answers on every node's address, asked from the first node.
            Assert.Contains(await CurlInAsync(lab.Nodes[0], $"http://{node.Ip}:{nodePort}/"), names);
            // Every node's DNS responder knows the service.
            var dig = (await node.ExecAsync("dig", "@10.96.0.10", "+short", "+tries=2", "+time=3", $"hostname.{ns}.svc.cluster.local")).Ok();
            Assert.Equal(ip, dig.StdOut.Trim());
        }
    }

    private async Task<string> WgetAsync(string ns, string pod, string url)
    {
        var r = await lab.Kubectl.RunAsync("-n", ns, "exec", pod, "--", "timeout", "10", "wget", "-qO-", url);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"wget {url} in {pod}: {r.Output}");
        return r.StdOut.Trim();
    }

    private static async Task<string> CurlInAsync(LabNode node, string url)
    {
        var r = await node.ExecAsync("curl", "-sS", "--max-time", "5", url);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"curl {url} in {node.Name}: {r.StdErr}");
        return r.StdOut.Trim();
    }
}
