using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The value of a downward-API <c>fieldRef.fieldPath</c> (upstream <c>podFieldSelectorRuntimeValue</c> and
/// <c>fieldpath.ExtractFieldPathAsString</c>). Env vars may use every path below; downwardAPI volumes only the
/// metadata ones (<see cref="IsVolumePath"/>).
/// <code>
/// metadata.name | metadata.namespace | metadata.uid
/// metadata.labels | metadata.annotations            all of them, key="value" per line, sorted (volumes)
/// metadata.labels['KEY'] | metadata.annotations['KEY']   one value, "" when absent
/// spec.nodeName | spec.serviceAccountName
/// status.hostIP | status.hostIPs | status.podIP | status.podIPs   from the node and the sandbox
/// </code>
/// </summary>
public static class PodFieldPath
{
    public static string Resolve(JsonObject pod, string fieldPath, string nodeName, string hostIp, string? podIp)
    {
        switch (fieldPath)
        {
            case "spec.nodeName":
                return pod["spec"].Str("nodeName") is { Length: > 0 } n ? n : nodeName;
            case "spec.serviceAccountName":
                return pod["spec"].Str("serviceAccountName") ?? pod["spec"].Str("serviceAccount") ?? "";
            case "status.hostIP":
            case "status.hostIPs":
                return hostIp;
            case "status.podIP":
            case "status.podIPs":
                // Only the sandbox knows the address before the status is written; single stack here.
                return podIp ?? pod["status"].Str("podIP") ?? "";
        }
        return ResolveMetadata(pod, fieldPath);
    }

    /// <summary>The paths a downwardAPI volume item may name (status and spec paths are env-only upstream).</summary>
    public static bool IsVolumePath(string fieldPath) =>
        fieldPath is "metadata.name" or "metadata.namespace" or "metadata.uid" or "metadata.labels" or "metadata.annotations"
        || TrySubscript(fieldPath, out _, out _);

    public static string ResolveMetadata(JsonObject pod, string fieldPath)
    {
        switch (fieldPath)
        {
            case "metadata.name":
                return pod.Name() ?? "";
            case "metadata.namespace":
                return pod.Namespace() ?? "";
            case "metadata.uid":
                return pod.Uid() ?? "";
            case "metadata.labels":
                return FormatMap(pod.Labels());
            case "metadata.annotations":
                return FormatMap(pod.Annotations());
        }
        if (TrySubscript(fieldPath, out var map, out var key))
        {
            var values = map == "metadata.labels" ? pod.Labels() : pod.Annotations();
            return values.GetValueOrDefault(key) ?? "";
        }
        throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError, $"unsupported fieldPath: {fieldPath}");
    }

    /// <summary><c>metadata.labels['KEY']</c> or <c>metadata.annotations['KEY']</c>.</summary>
    private static bool TrySubscript(string fieldPath, out string map, out string key)
    {
        map = key = "";
        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        if (open < 0 || !fieldPath.EndsWith("']", StringComparison.Ordinal) || open + 2 > fieldPath.Length - 2) return false;
        map = fieldPath[..open];
        key = fieldPath[(open + 2)..^2];
        return map is "metadata.labels" or "metadata.annotations" && key.Length > 0;
    }

    /// <summary>Upstream <c>FormatMap</c>: sorted <c>key="value"</c> lines (Go-quoted values), no final newline.</summary>
    public static string FormatMap(IReadOnlyDictionary<string, string> map)
    {
        var sb = new StringBuilder();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(key).Append('=').Append(GoQuote(map[key]));
        }
        return sb.ToString();
    }

    /// <summary>Go's <c>strconv.Quote</c> for the characters label and annotation values can hold.</summary>
    public static string GoQuote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
