using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Pod spec → Docker create requests, the way dockershim laid pods out on Docker:
/// <code>
/// sandbox  NetworkMode POD_NETWORK (or host), Hostname, IpcMode shareable, host ports, sysctls,
///          /etc/hosts, /etc/resolv.conf, /etc/hostname bound from the pod folder
/// app/init NetworkMode container:SANDBOX, IpcMode container:SANDBOX (PidMode too with shareProcessNamespace),
///          the same three files, the volumes, env, command/args, resources, securityContext, tty/stdin
/// </code>
/// Docker keeps no state for us beyond the labels: every request carries <see cref="PodContainerLabels"/>, and
/// restarts are the agent's (RestartPolicy "no").
/// </summary>
public sealed class ContainerConfigFactory : IContainerConfigFactory
{
    public const int DefaultGracePeriodSeconds = 30;

    private readonly PodEtcFiles _etcFiles;
    private readonly PodSpecOptions _options;
    private readonly ContainerEnvironment _environment;

    public ContainerConfigFactory(IClusterObjects objects, PodEtcFiles etcFiles, PodSpecOptions options, ILogger<ContainerConfigFactory> log)
    {
        _etcFiles = etcFiles;
        _options = options;
        _environment = new ContainerEnvironment(objects, options, log);
    }

    public ContainerCreateRequest Sandbox(PodContext pod, string podNetwork, string sandboxImage, int attempt)
    {
        var spec = pod.Pod["spec"];
        var hostNetwork = spec.Bool("hostNetwork") == true;
        _etcFiles.WriteAll(pod.Pod, pod.VolumeDirectory, pod.PodIp);

        var binds = new List<string>();
        var none = new HashSet<string>();
        ContainerMounts.AddPodFile(binds, none, PodEtcFiles.HostsPath(pod.VolumeDirectory), "/etc/hosts");
        ContainerMounts.AddPodFile(binds, none, PodEtcFiles.ResolvConfPath(pod.VolumeDirectory), "/etc/resolv.conf");
        ContainerMounts.AddPodFile(binds, none, PodEtcFiles.HostnamePath(pod.VolumeDirectory), "/etc/hostname");

        var request = new ContainerCreateRequest
        {
            Image = sandboxImage,
            // Docker refuses a hostname of its own in the host's UTS namespace.
            Hostname = hostNetwork ? null : _etcFiles.Hostname(pod.Pod),
            Domainname = hostNetwork ? null : PodHostname.Of(pod.Pod, _options.ClusterDomain).Domain,
            Labels = Labels(pod, PodContainerLabels.SandboxContainerName, PodContainerLabels.SandboxKind, attempt),
            HostConfig = new HostConfig
            {
                NetworkMode = hostNetwork ? "host" : podNetwork,
                IpcMode = spec.Bool("hostIPC") == true ? "host" : "shareable",
                PidMode = spec.Bool("hostPID") == true ? "host" : null,
                Binds = binds,
                RestartPolicy = new RestartPolicy { Name = "no" },
                Sysctls = Sysctls(spec),
            },
        };
        if (!hostNetwork) AddHostPorts(spec, request);
        return request;
    }

    public async Task<ContainerCreateRequest> ContainerAsync(PodContext pod, JsonObject container, string kind, int attempt, CancellationToken ct)
    {
        var spec = pod.Pod["spec"];
        // The pod's address is known once the sandbox runs; the hosts file gains it before the first container.
        _etcFiles.WriteHosts(pod.Pod, pod.VolumeDirectory, pod.PodIp);

        var env = await _environment.BuildAsync(pod, container, ct);
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in env) lookup[k] = v;

        var sandbox = "container:" + pod.SandboxContainerId;
        var host = new HostConfig
        {
            NetworkMode = sandbox,
            IpcMode = spec.Bool("hostIPC") == true ? "host" : sandbox,
            PidMode = spec.Bool("hostPID") == true ? "host" : spec.Bool("shareProcessNamespace") == true ? sandbox : null,
            Binds = ContainerMounts.Binds(pod, container, lookup),
            RestartPolicy = new RestartPolicy { Name = "no" },
        };
        var labels = Labels(pod, container.Str("name") ?? "", kind, attempt);
        labels[PodContainerLabels.SpecHash] = SpecHash(container);
        var stdin = container.Bool("stdin") == true;
        var request = new ContainerCreateRequest
        {
            Image = container.Str("image"),
            // command replaces the image's ENTRYPOINT (and so drops its CMD), args replace CMD; with args alone the
            // image's ENTRYPOINT stays, which Docker does when Entrypoint is null.
            Entrypoint = Expanded(container["command"], lookup),
            Cmd = Expanded(container["args"], lookup),
            WorkingDir = container.Str("workingDir") is { Length: > 0 } wd ? wd : null,
            Env = env.Select(e => e.Key + "=" + e.Value).ToList(),
            Labels = labels,
            Tty = container.Bool("tty") == true,
            OpenStdin = stdin,
            StdinOnce = stdin && container.Bool("stdinOnce") == true,
            AttachStdin = stdin,
            HostConfig = host,
        };
        ContainerResources.Apply(container, host);
        ContainerSecurity.Apply(pod.Pod, container, request, host);
        return request;
    }

    public string SpecHash(JsonObject container) => ContainerSpecHash.Of(container);

    private static Dictionary<string, string> Labels(PodContext pod, string container, string kind, int attempt)
    {
        var labels = PodContainerLabels.For(pod.NodeName, pod.Pod.Namespace() ?? "default", pod.Pod.Name() ?? "", pod.Pod.Uid() ?? "",
            container, kind, attempt);
        var grace = pod.Pod["spec"].Long("terminationGracePeriodSeconds") ?? DefaultGracePeriodSeconds;
        labels[PodContainerLabels.GracePeriod] = grace.ToString(CultureInfo.InvariantCulture);
        return labels;
    }

    /// <summary><c>$(VAR)</c>-expanded strings; null when the field is absent or empty (the image's default stays).</summary>
    private static List<string>? Expanded(JsonNode? node, IReadOnlyDictionary<string, string> env)
    {
        if (node is not JsonArray { Count: > 0 } array) return null;
        return array.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "")
            .Select(s => EnvVarExpansion.Expand(s, env.GetValueOrDefault)).ToList();
    }

    /// <summary>Every container's <c>ports[].hostPort</c>, published by the sandbox that owns the network namespace.</summary>
    private static void AddHostPorts(JsonNode? spec, ContainerCreateRequest request)
    {
        var containers = (spec?["containers"] as JsonArray ?? []).OfType<JsonObject>();
        foreach (var port in containers.SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>()))
        {
            var hostPort = port.Long("hostPort") ?? 0;
            var containerPort = port.Long("containerPort") ?? 0;
            if (hostPort <= 0 || containerPort <= 0) continue;
            var key = $"{containerPort.ToString(CultureInfo.InvariantCulture)}/{(port.Str("protocol") ?? "TCP").ToLowerInvariant()}";
            request.ExposedPorts ??= new Dictionary<string, EmptyObject>();
            request.ExposedPorts[key] = new EmptyObject();
            request.HostConfig!.PortBindings ??= new Dictionary<string, List<PortBinding>>();
            if (!request.HostConfig.PortBindings.TryGetValue(key, out var bindings))
                request.HostConfig.PortBindings[key] = bindings = [];
            bindings.Add(new PortBinding
            {
                HostIp = port.Str("hostIP") is { Length: > 0 } ip ? ip : "",
                HostPort = hostPort.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private static Dictionary<string, string>? Sysctls(JsonNode? spec)
    {
        var sysctls = (spec?["securityContext"]?["sysctls"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(s => !string.IsNullOrEmpty(s.Str("name")))
            .ToDictionary(s => s.Str("name")!, s => s.Str("value") ?? "", StringComparer.Ordinal);
        return sysctls.Count > 0 ? sysctls : null;
    }
}
