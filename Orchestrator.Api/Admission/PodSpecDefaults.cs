using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Admission;

/// <summary>
/// The defaults the apiserver's v1 defaulting functions give a pod spec, shared by pods and every pod
/// template (workloads), so that a Deployment's pods look the same as a directly created pod.
/// </summary>
internal static class PodSpecDefaults
{
    /// <param name="defaultRestartPolicy">False for Job templates: a Job's restartPolicy is required, not defaulted.</param>
    public static void Apply(JsonObject spec, bool defaultRestartPolicy = true)
    {
        SetIfMissing(spec, "dnsPolicy", "ClusterFirst");
        if (defaultRestartPolicy) SetIfMissing(spec, "restartPolicy", "Always");
        SetIfMissing(spec, "terminationGracePeriodSeconds", 30);
        SetIfMissing(spec, "schedulerName", "default-scheduler");
        SetIfMissing(spec, "enableServiceLinks", true);
        if (spec["securityContext"] is null) spec["securityContext"] = new JsonObject();

        foreach (var list in new[] { "initContainers", "containers" })
            if (spec[list] is JsonArray containers)
                foreach (var c in containers.OfType<JsonObject>())
                    ApplyContainer(c);
    }

    private static void ApplyContainer(JsonObject c)
    {
        if (c["imagePullPolicy"] is null && c.Str("image") is { } image)
            c["imagePullPolicy"] = ImageTag(image) == "latest" ? "Always" : "IfNotPresent";
        SetIfMissing(c, "terminationMessagePath", "/dev/termination-log");
        SetIfMissing(c, "terminationMessagePolicy", "File");
        if (c["resources"] is null) c["resources"] = new JsonObject();
        if (c["ports"] is JsonArray ports)
            foreach (var p in ports.OfType<JsonObject>())
                SetIfMissing(p, "protocol", "TCP");
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            if (c[probe] is JsonObject pr)
            {
                SetIfMissing(pr, "timeoutSeconds", 1);
                SetIfMissing(pr, "periodSeconds", 10);
                SetIfMissing(pr, "successThreshold", 1);
                SetIfMissing(pr, "failureThreshold", 3);
                if (pr["httpGet"] is JsonObject http) SetIfMissing(http, "scheme", "HTTP");
            }
    }

    /// <summary>
    /// The tag of an image reference as the kubelet's parser sees it: "latest" when neither tag nor digest is
    /// given, "" for a digest-only reference. A colon before the last '/' belongs to a registry host:port.
    /// </summary>
    public static string ImageTag(string image)
    {
        var at = image.IndexOf('@');
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash) return name[(colon + 1)..];
        return hasDigest ? "" : "latest";
    }

    private static void SetIfMissing(JsonObject obj, string property, JsonNode value)
    {
        if (obj[property] is null) obj[property] = value;
    }
}
