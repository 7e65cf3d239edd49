using System.Diagnostics;
using System.Text.RegularExpressions;
using Orchestrator.Tests.Api.Discovery;

namespace Orchestrator.Tests.Api.OpenApi;

/// <summary>
/// Runs the real kubectl against a loopback host serving only discovery and OpenAPI. Over http:// kubectl sends no
/// credentials, so an empty user works; a private --cache-dir keeps runs independent of ~/.kube/cache.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class KubectlEndToEndTests : IAsyncLifetime
{
    private const string Kubectl = "/usr/bin/kubectl";
    private DiscoveryTestHost _host = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _host = await DiscoveryTestHost.StartAsync();
        _dir = Directory.CreateTempSubdirectory("kubectl-discovery-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_dir, "kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {_host.BaseUrl}
            users:
            - name: test
              user: {"{}"}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => RunWith(Kubectl, args);

    private async Task<(int Code, string Out, string Err)> RunWith(string binary, params string[] args)
    {
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Path.Combine(_dir, "kubeconfig"));
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(_dir, "cache"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Api_resources_lists_kinds_with_short_names()
    {
        var (code, stdout, stderr) = await Run("api-resources");
        Assert.True(code == 0, stderr);
        Assert.Matches(new Regex(@"^pods\s+po\s+v1\s+true\s+Pod\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^services\s+svc\s+v1\s+true\s+Service\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^cronjobs\s+cj\s+batch/v1\s+true\s+CronJob\s*$", RegexOptions.Multiline), stdout);
    }

    [Theory]
    [InlineData("service.spec", "clusterIP", "enum: ClusterIP")]
    [InlineData("pod.spec.containers", "livenessProbe", "<[]ContainerPort>")]
    [InlineData("deployment.spec.strategy.rollingUpdate", "maxSurge", "<IntOrString>")]
    [InlineData("pod.spec.containers.livenessProbe", "httpGet", "<HTTPGetAction>")]
    [InlineData("cronjob.spec", "concurrencyPolicy", "-required-")]
    [InlineData("svc.spec.ports", "targetPort", "<IntOrString>")]
    [InlineData("pod.spec.containers.resources", "limits", "<map[string]Quantity>")]
    [InlineData("deployment.spec.template.spec.volumes.configMap", "items", "<[]KeyToPath>")]
    [InlineData("endpointslices", "addressType", "enum: FQDN, IPv4, IPv6")]
    [InlineData("leases.spec", "holderIdentity", "acquireTime")]
    [InlineData("pod", "spec", "<PodSpec>")]
    [InlineData("node.status.conditions", "lastHeartbeatTime", "-required-")]
    [InlineData("rc.spec", "template", "<PodTemplateSpec>")]
    [InlineData("ds.spec.updateStrategy", "rollingUpdate", "enum: OnDelete, RollingUpdate")]
    [InlineData("quota.spec", "hard", "<map[string]Quantity>")]
    [InlineData("limits.spec.limits", "defaultRequest", "enum: Container, PersistentVolumeClaim, Pod")]
    [InlineData("job.spec", "backoffLimit", "<PodTemplateSpec> -required-")]
    [InlineData("pod.spec.volumes.projected.sources", "serviceAccountToken", "<ServiceAccountTokenProjection>")]
    [InlineData("secret", "stringData", "<map[string]string>")]
    [InlineData("controllerrevision", "revision", "<integer> -required-")]
    [InlineData("ns.status", "phase", "enum: Active, Terminating")]
    [InlineData("pod.spec.containers.securityContext", "capabilities", "<Capabilities>")]
    [InlineData("pod.spec.containers.env.valueFrom", "fieldRef", "<ObjectFieldSelector>")]
    public async Task Explain_prints_fields(string path, string field, string marker)
    {
        var (code, stdout, stderr) = await Run("explain", path);
        Assert.True(code == 0, stderr + stdout);
        Assert.True(stdout.Contains("FIELDS:"), stdout);
        Assert.True(stdout.Contains(field), stdout);
        Assert.True(stdout.Contains(marker), stdout);
    }

    /// <summary>--recursive walks every nested schema, so a dangling or mistyped reference anywhere would show up here.</summary>
    [Theory]
    [InlineData("pod", "terminationGracePeriodSeconds")]
    [InlineData("deployment", "maxUnavailable")]
    [InlineData("cronjob", "successfulJobsHistoryLimit")]
    [InlineData("node", "kubeletVersion")]
    public async Task Explain_recursive_walks_the_whole_kind(string kind, string deepField)
    {
        var (code, stdout, stderr) = await Run("explain", kind, "--recursive");
        Assert.True(code == 0, stderr + stdout);
        Assert.True(stdout.Contains(deepField), stdout);
    }

    [Fact]
    public async Task Api_resources_wide_shows_verbs_and_categories()
    {
        var (code, stdout, stderr) = await Run("api-resources", "-o", "wide");
        Assert.True(code == 0, stderr);
        Assert.Matches(new Regex(@"^pods\s+po\s+v1\s+true\s+Pod\s+create,delete,deletecollection,get,list,patch,update,watch\s+all\s*$",
            RegexOptions.Multiline), stdout);
    }

    [Fact]
    public async Task Explain_finds_the_events_group_kind_by_api_version()
    {
        var (code, stdout, stderr) = await Run("explain", "events", "--api-version=events.k8s.io/v1");
        Assert.True(code == 0, stderr + stdout);
        Assert.True(stdout.Contains("GROUP:      events.k8s.io") && stdout.Contains("regarding") && stdout.Contains("<ObjectReference>"), stdout);
    }

    /// <summary>
    /// kubectl 1.27-1.29 only ask for apidiscovery v2beta1 (KUBECTL.md §1.3); the dispatcher would run them for an
    /// older server minor, so call one of them directly.
    /// </summary>
    [Fact]
    public async Task Old_kubectl_uses_v2beta1_discovery()
    {
        const string old = "/usr/lib/google-cloud-sdk/bin/kubectl.1.28";
        Assert.True(File.Exists(old), $"{old} is missing on this machine");
        var (code, stdout, stderr) = await RunWith(old, "api-resources");
        Assert.True(code == 0, stderr);
        Assert.Matches(new Regex(@"^replicasets\s+rs\s+apps/v1\s+true\s+ReplicaSet\s*$", RegexOptions.Multiline), stdout);
        Assert.Matches(new Regex(@"^events\s+ev\s+events\.k8s\.io/v1\s+true\s+Event\s*$", RegexOptions.Multiline), stdout);
    }

    /// <summary>
    /// With the default --validate=strict, kubectl first checks the OpenAPI v3 PATCH operation of the kind for the
    /// fieldValidation parameter; only when that succeeds does it skip client-side validation, which would need
    /// /openapi/v2 (a 404 here) and fail with "failed to download openapi". A client dry run needs nothing else.
    /// </summary>
    [Theory]
    [InlineData("v1", "ConfigMap", "configmap/probe created (dry run)")]
    [InlineData("apps/v1", "Deployment", "deployment.apps/probe created (dry run)")]
    [InlineData("batch/v1", "CronJob", "cronjob.batch/probe created (dry run)")]
    [InlineData("coordination.k8s.io/v1", "Lease", "lease.coordination.k8s.io/probe created (dry run)")]
    [InlineData("v1", "Namespace", "namespace/probe created (dry run)")]
    public async Task Create_with_strict_validation_relies_on_server_side_validation(string apiVersion, string kind, string expected)
    {
        var file = Path.Combine(_dir, $"{kind}.yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: probe\n");
        var (code, stdout, stderr) = await Run("create", "--dry-run=client", "--validate=strict", "-f", file, "-v=6");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains(expected, stdout);
        // -v=6 logs each request: the group-version document was fetched, and v2 was never needed.
        var gvPath = apiVersion.Contains('/') ? $"/openapi/v3/apis/{apiVersion}?hash=" : $"/openapi/v3/api/{apiVersion}?hash=";
        Assert.True(stderr.Contains(gvPath), stderr);
        Assert.False(stderr.Contains("/openapi/v2"), stderr);
    }
}
