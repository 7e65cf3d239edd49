using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The runnable seed examples in manifests/seed-00N are accepted by a real API server through the real kubectl, folder
/// by folder (server-side dry run, then a real apply), and the objects the server keeps are the seeds' (selectors,
/// ports, node ports, fixed IPs, probes, schedules). No nodes: nothing runs, only the API's side is checked here;
/// the traffic is the walkthrough's (docs/WALKTHROUGH.md) and the Docker end-to-end tests'.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SeedManifestsEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Kubectl K => cluster.Kubectl;

    internal static string Folder(string relative) => Path.Combine(ManifestsEndToEndTests.RepositoryRoot(), "manifests", relative);

    private async Task<string> NamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid():N}"[..20];
        (await K.RunAsync("create", "namespace", ns)).Ok();
        return ns;
    }

    private async Task<string> GetAsync(string ns, string what, string jsonPath) =>
        (await K.RunAsync("get", "-n", ns, what, "-o", "jsonpath=" + jsonPath)).Ok().StdOut;

    [Fact]
    public void Manifests_UseOnlyTheLocalImages()
    {
        var images = Directory.EnumerateFiles(Folder("."), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"^\s*image:\s*(\S+)", RegexOptions.Multiline)
                .Select(m => (File: Path.GetFileName(f), Image: m.Groups[1].Value)))
            .ToList();
        Assert.NotEmpty(images);
        var local = new HashSet<string>
        {
            "orchestrator/echo-hostname:1", "orchestrator/busybox:1.35",
            "orchestrator/kub-demo-users:1", "orchestrator/kub-demo-auth:1", "orchestrator/kub-demo-tasks:1",
        };
        Assert.All(images, i => Assert.True(local.Contains(i.Image), $"{i.File} uses {i.Image}, which scripts/images.sh does not build"));
        var script = File.ReadAllText(Path.Combine(ManifestsEndToEndTests.RepositoryRoot(), "scripts", "images.sh"));
        Assert.Contains("build orchestrator/busybox:1.35 ", script);
        Assert.Contains("build orchestrator/echo-hostname:1 ", script);
        Assert.Contains("for app in users auth tasks; do", script);
        Assert.Contains("build \"orchestrator/kub-demo-$app:1\"", script);
    }

    [Fact]
    public async Task Seed001_ServiceTypes_AreKeptAsWritten()
    {
        var ns = await NamespaceAsync("s001");
        var apply = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-001"))).Ok().StdOut;
        Assert.Contains("service/my-service created", apply);
        Assert.Contains("endpoints/my-service-selectorless created", apply);

        Assert.Equal("MyApp 80 9376 TCP ClusterIP", await GetAsync(ns, "svc/my-service",
            "{.spec.selector.app} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol} {.spec.type}"));

        // selectorless: no selector, and the hand-written Endpoints are kept (no controller overwrites them)
        Assert.Equal("", await GetAsync(ns, "svc/my-service-selectorless", "{.spec.selector}"));
        Assert.Equal("192.0.2.42 9376", await GetAsync(ns, "endpoints/my-service-selectorless",
            "{.subsets[0].addresses[0].ip} {.subsets[0].ports[0].port}"));

        Assert.Equal("http:80:9376:http https:443:9377:https ", await GetAsync(ns, "svc/my-service-multiport",
            "{range .spec.ports[*]}{.name}:{.port}:{.targetPort}:{.appProtocol} {end}"));
        Assert.Equal("10.96.100.100", await GetAsync(ns, "svc/my-service-fixed-clusterip", "{.spec.clusterIP}"));
        Assert.Equal("ClientIP 10800", await GetAsync(ns, "svc/my-service-session-affinity",
            "{.spec.sessionAffinity} {.spec.sessionAffinityConfig.clientIP.timeoutSeconds}"));
        Assert.Equal("None MyApp", await GetAsync(ns, "svc/my-service-headless", "{.spec.clusterIP} {.spec.selector.app}"));
        Assert.Equal("NodePort 30007 80", await GetAsync(ns, "svc/my-service-nodeport",
            "{.spec.type} {.spec.ports[0].nodePort} {.spec.ports[0].targetPort}"));

        var lb = (await GetAsync(ns, "svc/my-service-loadbalancer", "{.spec.type} {.spec.clusterIP} {.spec.ports[0].nodePort}")).Split(' ');
        Assert.Equal(["LoadBalancer", "10.96.171.239"], lb[..2]);
        Assert.InRange(int.Parse(lb[2]), 30000, 32767);

        Assert.Equal("ExternalName my.database.example.com ", await GetAsync(ns, "svc/my-service-externalname",
            "{.spec.type} {.spec.externalName} {.spec.clusterIP}"));
        Assert.Equal("80.11.12.10 MyApp", await GetAsync(ns, "svc/my-service-externalips", "{.spec.externalIPs[0]} {.spec.selector.app}"));
        Assert.Equal("v1 LoadBalancer proxy-echo", await GetAsync(ns, "svc/my-service-proxy-protocol",
            "{.metadata.annotations.orchestrator\\.io/proxy-protocol} {.spec.type} {.spec.selector.app}"));
        Assert.Equal("UDP 5353 53 10.96.0.10 UDP 53", (await GetAsync(ns, "svc/my-service-udp",
            "{.spec.ports[0].protocol} {.spec.ports[0].port} {.spec.ports[0].targetPort}")) + " " + await GetAsync(ns, "endpoints/my-service-udp",
            "{.subsets[0].addresses[0].ip} {.subsets[0].ports[0].protocol} {.subsets[0].ports[0].port}"));
        Assert.Equal("3 MyApp 80 9376 9377", await GetAsync(ns, "deploy/my-app",
            "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].env[0].value}"));

        // the seed's rules around them: the same nodePort twice, and a clusterIP outside the range, are refused
        var again = await K.RunAsync("create", "-n", ns, "-f", ClusterFixture.Manifest(
            File.ReadAllText(Path.Combine(Folder("seed-001"), "my-service-nodeport.yaml")).Replace("name: my-service-nodeport", "name: other-nodeport")));
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("30007", again.StdErr);
        var outside = await K.RunAsync("create", "-n", ns, "-f", ClusterFixture.Manifest(
            File.ReadAllText(Path.Combine(Folder("seed-001"), "my-service-fixed-clusterip.yaml"))
                .Replace("name: my-service-fixed-clusterip", "name: outside").Replace("10.96.100.100", "10.0.171.239")));
        Assert.NotEqual(0, outside.ExitCode);
        Assert.Contains("is invalid", outside.StdErr);
    }

    [Fact]
    public async Task Seed002_HostnameDeployment_ClusterIpService_ThenSessionAffinity()
    {
        var ns = await NamespaceAsync("s002");
        var apply = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-002"))).Ok().StdOut;
        Assert.Contains("deployment.apps/hostname-deployment created", apply);
        Assert.Contains("service/hostname-service-clusterip created", apply);

        Assert.Equal("3 webserver orchestrator/echo-hostname:1 80", await GetAsync(ns, "deploy/hostname-deployment",
            "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}"));
        Assert.Equal("ClusterIP webserver web-port 8080 80 None", await GetAsync(ns, "svc/hostname-service-clusterip",
            "{.spec.type} {.spec.selector.app} {.spec.ports[0].name} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.sessionAffinity}"));
        var nodePort = await GetAsync(ns, "svc/hostname-service-nodeport", "{.spec.type} {.spec.ports[0].nodePort}");
        Assert.Matches(@"^NodePort 3\d{4}$", nodePort);
        Assert.Matches(@"^LoadBalancer 3\d{4}$", await GetAsync(ns, "svc/hostname-service-loadbalancer", "{.spec.type} {.spec.ports[0].nodePort}"));
        var clusterIp = await GetAsync(ns, "svc/hostname-service-clusterip", "{.spec.clusterIP}");

        // "세션 어피니티 #1": the edited file configures the same service, which keeps its cluster IP
        var affinity = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-002/session-affinity"))).Ok().StdOut;
        Assert.Equal("service/hostname-service-clusterip configured", affinity.Trim());
        Assert.Equal($"ClientIP 10800 {clusterIp}", await GetAsync(ns, "svc/hostname-service-clusterip",
            "{.spec.sessionAffinity} {.spec.sessionAffinityConfig.clientIP.timeoutSeconds} {.spec.clusterIP}"));
    }

    [Fact]
    public async Task Seed003_ThreeStages_AppliedInTurn_AsTheSeedDoes()
    {
        var ns = await NamespaceAsync("s003");
        var stage1 = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-003/stage1-one-pod"))).Ok().StdOut;
        Assert.Contains("deployment.apps/users-deployment created", stage1);
        Assert.Equal("users=localhost auth= ", await GetAsync(ns, "deploy/users-deployment",
            "{range .spec.template.spec.containers[*]}{.name}={.env[0].value} {end}"));
        Assert.Equal("LoadBalancer 8080 8080", await GetAsync(ns, "svc/users-service", "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort}"));

        var stage2 = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-003/stage2-cluster-ip"))).Ok().StdOut;
        Assert.Contains("service/auth-service created", stage2);
        Assert.Contains("deployment.apps/auth-deployment created", stage2);
        Assert.Contains("deployment.apps/users-deployment configured", stage2);
        Assert.Contains("service/users-service unchanged", stage2);
        Assert.Equal("ClusterIP 10.99.190.110 80 auth", await GetAsync(ns, "svc/auth-service",
            "{.spec.type} {.spec.clusterIP} {.spec.ports[0].port} {.spec.selector.app}"));
        // the fixed IP users-deployment names is auth-service's
        Assert.Equal("users=10.99.190.110 ", await GetAsync(ns, "deploy/users-deployment",
            "{range .spec.template.spec.containers[*]}{.name}={.env[0].value} {end}"));

        var stage3 = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-003/stage3-dns"))).Ok().StdOut;
        Assert.Contains("service/auth-service unchanged", stage3);
        Assert.Contains("deployment.apps/users-deployment configured", stage3);
        Assert.Contains("deployment.apps/tasks-deployment created", stage3);
        Assert.Contains("service/tasks-service created", stage3);
        Assert.Equal("auth-service.default", await GetAsync(ns, "deploy/users-deployment", "{.spec.template.spec.containers[0].env[0].value}"));
        Assert.Equal("orchestrator/kub-demo-tasks:1 auth-service.default tasks", await GetAsync(ns, "deploy/tasks-deployment",
            "{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].value} {.spec.template.spec.containers[0].env[1].value}"));
        Assert.Equal("LoadBalancer 8000 8000 tasks", await GetAsync(ns, "svc/tasks-service",
            "{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}"));
    }

    [Fact]
    public async Task Seed004_Workloads_Probes_Selectors()
    {
        var ns = await NamespaceAsync("s004");
        var apply = (await K.RunAsync("apply", "-n", ns, "-f", Folder("seed-004"))).Ok().StdOut;
        Assert.Contains("namespace/custom-namespace created", apply);
        Assert.Contains("cronjob.batch/batch-job-every-fifteen-minutes created", apply);

        // namespaces: the same pod name once more in custom-namespace
        (await K.RunAsync("create", "-n", "custom-namespace", "-f", Path.Combine(Folder("seed-004"), "kubia-manual.yaml"))).Ok();
        Assert.Equal("kubia-manual", await GetAsync("custom-namespace", "pod/kubia-manual", "{.metadata.name}"));

        // label selectors of §2
        var inProdDevel = (await K.RunAsync("get", "pods", "-n", ns, "-l", "env in (prod,devel)", "-o", "name")).Ok().StdOut;
        Assert.Equal(["pod/kubia-manual-devel", "pod/kubia-manual-v2"], inProdDevel.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        var notIn = (await K.RunAsync("get", "pods", "-n", ns, "-l", "env notin (prod,devel)", "-o", "name")).Ok().StdOut;
        Assert.Contains("pod/kubia-manual-debug", notIn);
        Assert.DoesNotContain("pod/kubia-manual-v2", notIn);
        var noEnv = (await K.RunAsync("get", "pods", "-n", ns, "-l", "!env", "-o", "name")).Ok().StdOut;
        Assert.Contains("pod/kubia-manual", noEnv);
        Assert.DoesNotContain("kubia-manual-", noEnv);
        Assert.Equal("pod/kubia-manual-v2", (await K.RunAsync("get", "pods", "-n", ns, "-l", "creation_method=manual,env=prod", "-o", "name")).Ok().StdOut.Trim());

        // probes of §3 and §10
        Assert.Equal("/ 8080 15 5", await GetAsync(ns, "pod/kubia-liveness",
            "{.spec.containers[0].livenessProbe.httpGet.path} {.spec.containers[0].livenessProbe.httpGet.port} {.spec.containers[0].livenessProbe.initialDelaySeconds} {.spec.containers[0].env[0].value}"));
        Assert.Equal("8080 15", await GetAsync(ns, "pod/kubia-liveness-tcp",
            "{.spec.containers[0].livenessProbe.tcpSocket.port} {.spec.containers[0].livenessProbe.initialDelaySeconds}"));
        Assert.Equal("cat /tmp/healthy 5", await GetAsync(ns, "pod/kubia-liveness-exec",
            "{.spec.containers[0].livenessProbe.exec.command[*]} {.spec.containers[0].livenessProbe.initialDelaySeconds}"));
        Assert.Equal("ls /var/ready", await GetAsync(ns, "rc/kubia-readiness", "{.spec.template.spec.containers[0].readinessProbe.exec.command[*]}"));

        // controllers of §4-§7
        Assert.Equal("3 kubia", await GetAsync(ns, "rc/kubia", "{.spec.replicas} {.spec.selector.app}"));
        Assert.Equal("app In kubia", await GetAsync(ns, "rs/kubia",
            "{.spec.selector.matchExpressions[0].key} {.spec.selector.matchExpressions[0].operator} {.spec.selector.matchExpressions[0].values[0]}"));
        Assert.Equal("ssd", await GetAsync(ns, "ds/ssd-monitor", "{.spec.template.spec.nodeSelector.disk}"));
        Assert.Equal("OnFailure", await GetAsync(ns, "job/batch-job", "{.spec.template.spec.restartPolicy}"));
        Assert.NotEqual("", await GetAsync(ns, "job/batch-job", "{.spec.selector.matchLabels}"));   // derived by the server
        Assert.Equal("0,15,30,45 * * * * 15 OnFailure", await GetAsync(ns, "cronjob/batch-job-every-fifteen-minutes",
            "{.spec.schedule} {.spec.startingDeadlineSeconds} {.spec.jobTemplate.spec.template.spec.restartPolicy}"));

        // the service of §8
        Assert.Equal("ClientIP 80 8080 kubia", await GetAsync(ns, "svc/kubia",
            "{.spec.sessionAffinity} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}"));

        (await K.RunAsync("delete", "namespace", "custom-namespace", "--wait=false")).Ok();
    }
}

/// <summary>
/// Every seed folder passes the server's validation and admission as a whole (kubectl apply --dry-run=server), on a
/// server of its own: the fixed cluster IPs and node ports the other class really allocates would clash otherwise.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SeedManifestsDryRunEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Kubectl K => cluster.Kubectl;

    private static string Folder(string relative) => SeedManifestsEndToEndTests.Folder(relative);

    public static IEnumerable<object[]> Folders() =>
    [
        ["seed-000"], ["seed-001"], ["seed-002"], ["seed-002/session-affinity"],
        ["seed-003/stage1-one-pod"], ["seed-003/stage2-cluster-ip"], ["seed-003/stage3-dns"], ["seed-004"],
    ];

    private async Task<string> NamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid():N}"[..20];
        (await K.RunAsync("create", "namespace", ns)).Ok();
        return ns;
    }

    private static int Documents(string folder) =>
        Directory.EnumerateFiles(folder, "*.yaml").Sum(f => Regex.Matches(File.ReadAllText(f), @"^kind:", RegexOptions.Multiline).Count);

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Folder_IsAcceptedByServerSideDryRun(string folder)
    {
        var ns = await NamespaceAsync("dry");
        var r = (await K.RunAsync("apply", "--dry-run=server", "-n", ns, "-f", Folder(folder))).Ok();
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Documents(Folder(folder)), lines.Length);
        // (custom-namespace of seed 004 is cluster-scoped and may exist already from the test that really applies it)
        Assert.All(lines.Where(l => !l.StartsWith("namespace/")), l => Assert.EndsWith("created (server dry run)", l));
        // a dry run keeps nothing
        Assert.Equal("", (await K.RunAsync("get", "-n", ns, "deploy,rs,rc,svc,job,cronjob,ds,pod", "-o", "name")).Ok().StdOut.Trim());
    }

}
