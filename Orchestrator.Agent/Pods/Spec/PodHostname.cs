using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A pod's hostname and domain (upstream <c>GeneratePodHostNameAndDomain</c>): <c>spec.hostname</c> or the pod
/// name, cut to 63 characters without a trailing <c>-</c> or <c>.</c>; with <c>spec.subdomain</c> the domain is
/// <c>SUBDOMAIN.NAMESPACE.svc.CLUSTER_DOMAIN</c>, so the pod's FQDN is the one its headless Service's DNS serves.
/// </summary>
public sealed record PodHostname(string Hostname, string? Domain)
{
    public const int MaxLength = 63;

    public string? Fqdn => Domain == null ? null : $"{Hostname}.{Domain}";

    public static PodHostname Of(JsonObject pod, string clusterDomain)
    {
        var spec = pod["spec"];
        var hostname = spec.Str("hostname") is { Length: > 0 } h ? h : pod.Name() ?? "";
        if (hostname.Length > MaxLength) hostname = hostname[..MaxLength].TrimEnd('-', '.');
        var domain = spec.Str("subdomain") is { Length: > 0 } sub
            ? $"{sub}.{pod.Namespace() ?? "default"}.svc.{clusterDomain}"
            : null;
        return new PodHostname(hostname, domain);
    }
}
