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

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl)
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
    public async Task Explain_prints_fields(string path, string field, string marker)
    {
        var (code, stdout, stderr) = await Run("explain", path);
        Assert.True(code == 0, stderr + stdout);
        Assert.True(stdout.Contains("FIELDS:"), stdout);
        Assert.True(stdout.Contains(field), stdout);
        Assert.True(stdout.Contains(marker), stdout);
    }
}
