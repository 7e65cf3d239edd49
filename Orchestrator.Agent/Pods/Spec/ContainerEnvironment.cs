using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A container's environment as the kubelet builds it (<c>makeEnvironmentVariables</c>):
/// <list type="number">
/// <item><c>envFrom</c> in order (configMapRef / secretRef, with prefix; keys that are no valid variable names are
///   skipped and logged; a missing optional object is skipped);</item>
/// <item><c>env</c> in order, each replacing an earlier variable of its name: a <c>value</c> is expanded against the
///   variables defined so far and then the service variables; a <c>valueFrom</c> is resolved (fieldRef,
///   resourceFieldRef, configMapKeyRef, secretKeyRef; <c>optional</c> skips a missing object or key);</item>
/// <item>the service variables (<see cref="ServiceEnvironment"/>) that no explicit variable overrides.</item>
/// </list>
/// A missing object or key that is not optional is a <see cref="ContainerConfigException"/> worded as the kubelet
/// words it. Order: explicit variables first in definition order, then the service variables.
/// </summary>
public sealed partial class ContainerEnvironment(IClusterObjects objects, PodSpecOptions options, ILogger log)
{
    /// <summary>Upstream <c>IsEnvVarName</c>.</summary>
    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvVarName();

    public async Task<IReadOnlyList<KeyValuePair<string, string>>> BuildAsync(PodContext context, JsonObject container, CancellationToken ct)
    {
        var pod = context.Pod;
        var ns = pod.Namespace() ?? "default";
        var serviceEnv = ServiceVariables(pod, ns);
        var env = new OrderedEnv();
        var configMaps = new Dictionary<string, IReadOnlyDictionary<string, byte[]>?>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, IReadOnlyDictionary<string, byte[]>?>(StringComparer.Ordinal);

        foreach (var from in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var prefix = from.Str("prefix") ?? "";
            var (source, kind, data) = from["configMapRef"] is JsonObject cmRef
                ? (cmRef, "configMap", await ConfigMapAsync(ns, cmRef, configMaps, ct))
                : from["secretRef"] is JsonObject sRef
                    ? (sRef, "secret", await SecretAsync(ns, sRef, secrets, ct))
                    : (null, "", null);
            if (source == null || data == null) continue;
            var invalid = new List<string>();
            foreach (var (key, value) in data)
            {
                var name = prefix + key;
                if (!EnvVarName().IsMatch(name))
                {
                    invalid.Add(name);
                    continue;
                }
                env.Set(name, ConfigData.AsText(value));
            }
            if (invalid.Count > 0)
                log.LogWarning("Keys [{Keys}] from the EnvFrom {Kind} {Namespace}/{Name} were skipped since they are considered invalid environment variable names.",
                    string.Join(", ", invalid.Order(StringComparer.Ordinal)), kind, ns, source.Str("name"));
        }

        foreach (var variable in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = variable.Str("name");
            if (string.IsNullOrEmpty(name)) continue;
            var value = variable.Str("value") ?? "";
            if (value.Length > 0)
            {
                value = EnvVarExpansion.Expand(value, n => env.Get(n) ?? serviceEnv.GetValueOrDefault(n));
            }
            else if (variable["valueFrom"] is JsonObject from)
            {
                var resolved = await ResolveAsync(context, container, ns, from, configMaps, secrets, ct);
                if (resolved == null) continue; // optional and missing: the variable is not set at all
                value = resolved;
            }
            env.Set(name, value);
        }

        var result = env.Entries.ToList();
        foreach (var (name, value) in serviceEnv)
            if (env.Get(name) == null) result.Add(new(name, value));
        return result;
    }

    private Dictionary<string, string> ServiceVariables(JsonObject pod, string ns)
    {
        if (!objects.ServicesSynced)
            throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError,
                "services have not yet been read at least once, cannot construct envvars");
        var enableLinks = pod["spec"].Bool("enableServiceLinks") ?? true;
        var services = ServiceEnvironment.VisibleServices(ns, enableLinks,
            enableLinks ? objects.ServicesIn(ns) : [],
            objects.ServicesIn(ServiceEnvironment.MasterServiceNamespace));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in ServiceEnvironment.For(services)) result.TryAdd(k, v);
        return result;
    }

    private async Task<string?> ResolveAsync(PodContext context, JsonObject container, string ns, JsonObject from,
        Dictionary<string, IReadOnlyDictionary<string, byte[]>?> configMaps,
        Dictionary<string, IReadOnlyDictionary<string, byte[]>?> secrets, CancellationToken ct)
    {
        if (from["fieldRef"] is JsonObject fieldRef)
            return PodFieldPath.Resolve(context.Pod, fieldRef.Str("fieldPath") ?? "", context.NodeName, context.HostIp, context.PodIp);
        if (from["resourceFieldRef"] is JsonObject resourceRef)
            return ContainerResourceField.Resolve(container, resourceRef.Str("resource") ?? "", resourceRef["divisor"], options);
        if (from["configMapKeyRef"] is JsonObject cmKey)
            return KeyOf(await ConfigMapAsync(ns, cmKey, configMaps, ct), cmKey, "ConfigMap", ns);
        if (from["secretKeyRef"] is JsonObject sKey)
            return KeyOf(await SecretAsync(ns, sKey, secrets, ct), sKey, "Secret", ns);
        return "";
    }

    private static string? KeyOf(IReadOnlyDictionary<string, byte[]>? data, JsonObject reference, string kind, string ns)
    {
        if (data == null) return null; // an optional object that does not exist
        var key = reference.Str("key") ?? "";
        if (data.TryGetValue(key, out var value)) return ConfigData.AsText(value);
        if (reference.Bool("optional") == true) return null;
        throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError,
            $"couldn't find key {key} in {kind} {ns}/{reference.Str("name")}");
    }

    /// <summary>The ConfigMap's data, null when it is missing and optional; fetched once per container.</summary>
    private async Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string ns, JsonObject reference,
        Dictionary<string, IReadOnlyDictionary<string, byte[]>?> cache, CancellationToken ct)
    {
        var name = reference.Str("name") ?? "";
        if (!cache.TryGetValue(name, out var data))
        {
            var obj = await objects.GetConfigMapAsync(ns, name, ct);
            cache[name] = data = obj == null ? null : ConfigData.OfConfigMap(obj, withBinaryData: false);
        }
        if (data == null && reference.Bool("optional") != true)
            throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError, $"configmap \"{name}\" not found");
        return data;
    }

    private async Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string ns, JsonObject reference,
        Dictionary<string, IReadOnlyDictionary<string, byte[]>?> cache, CancellationToken ct)
    {
        var name = reference.Str("name") ?? "";
        if (!cache.TryGetValue(name, out var data))
        {
            var obj = await objects.GetSecretAsync(ns, name, ct);
            cache[name] = data = obj == null ? null : ConfigData.OfSecret(obj);
        }
        if (data == null && reference.Bool("optional") != true)
            throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError, $"secret \"{name}\" not found");
        return data;
    }

    /// <summary>Variables in the order they were first defined; a redefinition keeps the place and takes the value.</summary>
    private sealed class OrderedEnv
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public void Set(string name, string value)
        {
            if (!_values.ContainsKey(name)) _order.Add(name);
            _values[name] = value;
        }

        public string? Get(string name) => _values.GetValueOrDefault(name);

        public IEnumerable<KeyValuePair<string, string>> Entries => _order.Select(n => new KeyValuePair<string, string>(n, _values[n]));
    }
}
