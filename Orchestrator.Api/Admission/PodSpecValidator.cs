using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Admission;

/// <summary>
/// Pod spec validation shared by pods and pod templates; <c>path</c> is where the spec sits
/// ("spec" for a pod, "spec.template.spec" for a workload) so messages name the field as Kubernetes does.
/// </summary>
internal static partial class PodSpecValidator
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] MessagePolicies = ["FallbackToLogsOnError", "File"];
    private static readonly string[] Schemes = ["HTTP", "HTTPS"];
    private static readonly string[] TolerationOperators = ["Equal", "Exists"];
    private static readonly string[] TaintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
    private static readonly string[] ProbeHandlers = ["exec", "httpGet", "tcpSocket", "grpc"];

    private const string EnvVarNameFormat = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    [GeneratedRegex("^" + EnvVarNameFormat + "$")] private static partial Regex EnvVarName();

    public const string NonNegative = "must be greater than or equal to 0";

    /// <param name="restartPolicies">The restart policies the owner allows (workloads narrow the pod's set).</param>
    public static void Validate(JsonObject? spec, string path, List<FieldError> errors, IReadOnlyList<string>? restartPolicies = null)
    {
        if (spec is null)
        {
            errors.Add(FieldError.Required(path, ""));
            return;
        }

        var volumes = ValidateVolumes(spec["volumes"] as JsonArray, path + ".volumes", errors);

        var names = new HashSet<string>();
        if (spec["containers"] is not JsonArray containers || containers.Count == 0)
            errors.Add(FieldError.Required(path + ".containers", ""));
        if (spec["initContainers"] is JsonArray inits)
            for (var i = 0; i < inits.Count; i++)
                ValidateContainer(inits[i] as JsonObject, $"{path}.initContainers[{i}]", names, volumes, init: true, errors);
        if (spec["containers"] is JsonArray cs)
            for (var i = 0; i < cs.Count; i++)
                ValidateContainer(cs[i] as JsonObject, $"{path}.containers[{i}]", names, volumes, init: false, errors);

        var allowed = restartPolicies ?? RestartPolicies;
        var restart = spec.Str("restartPolicy");
        if (string.IsNullOrEmpty(restart))
            errors.Add(FieldError.Required(path + ".restartPolicy",
                restartPolicies is null ? "" : "valid values: " + string.Join(", ", allowed.Select(a => $"\"{a}\""))));
        else if (!allowed.Contains(restart)) errors.Add(FieldError.NotSupported(path + ".restartPolicy", restart, allowed));

        if (spec.Str("dnsPolicy") is { } dns && !DnsPolicies.Contains(dns))
            errors.Add(FieldError.NotSupported(path + ".dnsPolicy", dns, DnsPolicies));

        if (spec.Long("terminationGracePeriodSeconds") is < 0 and var grace)
            errors.Add(FieldError.Invalid(path + ".terminationGracePeriodSeconds", grace, NonNegative));
        if (spec.Long("activeDeadlineSeconds") is { } deadline && (deadline < 1 || deadline > int.MaxValue))
            errors.Add(FieldError.Invalid(path + ".activeDeadlineSeconds", deadline, PortValidation.InclusiveRangeError(1, int.MaxValue)));

        errors.AddRange(MetadataValidation.ValidateLabels(spec["nodeSelector"], path + ".nodeSelector"));

        if (spec.Str("nodeName") is { Length: > 0 } nodeName)
            foreach (var msg in NameValidation.IsDns1123Subdomain(nodeName))
                errors.Add(FieldError.Invalid(path + ".nodeName", nodeName, msg));

        if (spec["tolerations"] is JsonArray tolerations)
            for (var i = 0; i < tolerations.Count; i++)
                ValidateToleration(tolerations[i] as JsonObject, $"{path}.tolerations[{i}]", errors);
    }

    private static HashSet<string> ValidateVolumes(JsonArray? volumes, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        if (volumes is null) return names;
        for (var i = 0; i < volumes.Count; i++)
        {
            var name = volumes[i].Str("name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(FieldError.Required($"{path}[{i}].name", ""));
                continue;
            }
            foreach (var msg in NameValidation.IsDns1123Label(name)) errors.Add(FieldError.Invalid($"{path}[{i}].name", name, msg));
            if (!names.Add(name)) errors.Add(FieldError.Duplicate($"{path}[{i}].name", name));
        }
        return names;
    }

    private static void ValidateContainer(JsonObject? c, string path, HashSet<string> names,
        HashSet<string> volumes, bool init, List<FieldError> errors)
    {
        if (c is null)
        {
            errors.Add(FieldError.Required(path, ""));
            return;
        }
        var name = c.Str("name");
        if (string.IsNullOrEmpty(name)) errors.Add(FieldError.Required(path + ".name", ""));
        else
        {
            foreach (var msg in NameValidation.IsDns1123Label(name)) errors.Add(FieldError.Invalid(path + ".name", name, msg));
            if (!names.Add(name)) errors.Add(FieldError.Duplicate(path + ".name", name));
        }

        var image = c.Str("image");
        if (string.IsNullOrEmpty(image)) errors.Add(FieldError.Required(path + ".image", ""));
        else if (image.Trim() != image) errors.Add(FieldError.Invalid(path + ".image", image, "must not have leading or trailing whitespace"));

        if (c.Str("imagePullPolicy") is { } pull && !PullPolicies.Contains(pull))
            errors.Add(FieldError.NotSupported(path + ".imagePullPolicy", pull, PullPolicies));
        if (c.Str("terminationMessagePolicy") is { } tmp && !MessagePolicies.Contains(tmp))
            errors.Add(FieldError.NotSupported(path + ".terminationMessagePolicy", tmp, MessagePolicies));

        // Port names are unique per container, as upstream checks them; two containers may both name a port "http".
        var portNames = new HashSet<string>();
        if (c["ports"] is JsonArray ports)
            for (var i = 0; i < ports.Count; i++)
                ValidateContainerPort(ports[i] as JsonObject, $"{path}.ports[{i}]", portNames, errors);

        if (c["env"] is JsonArray env)
            for (var i = 0; i < env.Count; i++)
            {
                var envName = env[i].Str("name");
                if (string.IsNullOrEmpty(envName)) errors.Add(FieldError.Required($"{path}.env[{i}].name", ""));
                else if (!EnvVarName().IsMatch(envName))
                    errors.Add(FieldError.Invalid($"{path}.env[{i}].name", envName, NameValidation.RegexError(
                        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
                        EnvVarNameFormat, "my.env-name", "MY_ENV.NAME", "MyEnvName1")));
            }

        if (c["volumeMounts"] is JsonArray mounts)
            for (var i = 0; i < mounts.Count; i++)
            {
                var mountName = mounts[i].Str("name");
                if (string.IsNullOrEmpty(mountName)) errors.Add(FieldError.Required($"{path}.volumeMounts[{i}].name", ""));
                else if (!volumes.Contains(mountName)) errors.Add(FieldError.NotFound($"{path}.volumeMounts[{i}].name", mountName));
                if (string.IsNullOrEmpty(mounts[i].Str("mountPath"))) errors.Add(FieldError.Required($"{path}.volumeMounts[{i}].mountPath", ""));
            }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (c[probe] is not JsonObject p) continue;
            // Init containers run to completion before the pod is ready; probes on them mean nothing.
            if (init && c.Str("restartPolicy") != "Always")
            {
                errors.Add(FieldError.Forbidden($"{path}.{probe}", "may not be set for init containers without restartPolicy=Always"));
                continue;
            }
            ValidateProbe(p, $"{path}.{probe}", probe != "readinessProbe", errors);
        }
    }

    private static void ValidateContainerPort(JsonObject? port, string path, HashSet<string> portNames, List<FieldError> errors)
    {
        if (port is null)
        {
            errors.Add(FieldError.Required(path, ""));
            return;
        }
        if (port.Str("name") is { Length: > 0 } name)
        {
            foreach (var msg in PortValidation.IsValidPortName(name)) errors.Add(FieldError.Invalid(path + ".name", name, msg));
            if (!portNames.Add(name)) errors.Add(FieldError.Duplicate(path + ".name", name));
        }
        var containerPort = port.Long("containerPort") ?? 0;
        if (containerPort == 0) errors.Add(FieldError.Required(path + ".containerPort", ""));
        else foreach (var msg in PortValidation.IsValidPortNum(containerPort)) errors.Add(FieldError.Invalid(path + ".containerPort", containerPort, msg));
        if (port.Long("hostPort") is { } hostPort and not 0)
            foreach (var msg in PortValidation.IsValidPortNum(hostPort)) errors.Add(FieldError.Invalid(path + ".hostPort", hostPort, msg));
        var protocol = port.Str("protocol");
        if (string.IsNullOrEmpty(protocol)) errors.Add(FieldError.Required(path + ".protocol", ""));
        else if (!Protocols.Contains(protocol)) errors.Add(FieldError.NotSupported(path + ".protocol", protocol, Protocols));
    }

    private static void ValidateProbe(JsonObject probe, string path, bool successMustBeOne, List<FieldError> errors)
    {
        var handlers = ProbeHandlers.Where(h => probe[h] is not null).ToList();
        if (handlers.Count == 0) errors.Add(FieldError.Required(path, "must specify a handler type"));
        foreach (var extra in handlers.Skip(1))
            errors.Add(FieldError.Forbidden($"{path}.{extra}", "may not specify more than 1 handler type"));

        foreach (var field in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
            if (probe.Long(field) is < 0 and var v)
                errors.Add(FieldError.Invalid($"{path}.{field}", v, NonNegative));
        if (successMustBeOne && probe.Long("successThreshold") is { } st and not 1)
            errors.Add(FieldError.Invalid(path + ".successThreshold", st, "must be 1"));

        if (probe["httpGet"] is JsonObject http)
        {
            ValidatePortNumOrName(http["port"], path + ".httpGet.port", errors);
            if (http.Str("scheme") is { } scheme && !Schemes.Contains(scheme))
                errors.Add(FieldError.NotSupported(path + ".httpGet.scheme", scheme, Schemes));
        }
        if (probe["tcpSocket"] is JsonObject tcp) ValidatePortNumOrName(tcp["port"], path + ".tcpSocket.port", errors);
        if (probe["grpc"] is JsonObject grpc && grpc.Long("port") is { } gp)
            foreach (var msg in PortValidation.IsValidPortNum(gp)) errors.Add(FieldError.Invalid(path + ".grpc.port", gp, msg));
        if (probe["exec"] is JsonObject exec && exec["command"] is not JsonArray { Count: > 0 })
            errors.Add(FieldError.Required(path + ".exec.command", ""));
    }

    /// <summary>An IntOrString port: a number 1-65535 or an IANA port name.</summary>
    public static void ValidatePortNumOrName(JsonNode? port, string path, List<FieldError> errors)
    {
        if (port is JsonValue v && v.TryGetValue<string>(out var name))
        {
            if (name.Length == 0) errors.Add(FieldError.Required(path, ""));
            foreach (var msg in PortValidation.IsValidPortName(name)) errors.Add(FieldError.Invalid(path, name, msg));
            return;
        }
        var number = port is null ? null : new JsonObject { ["p"] = port.DeepClone() }.Long("p");
        if (number is null)
        {
            errors.Add(port is null ? FieldError.Required(path, "") : FieldError.Invalid(path, port.DeepClone(), "must be an integer or a string"));
            return;
        }
        foreach (var msg in PortValidation.IsValidPortNum(number.Value)) errors.Add(FieldError.Invalid(path, number.Value, msg));
    }

    private static void ValidateToleration(JsonObject? t, string path, List<FieldError> errors)
    {
        if (t is null) return;
        var key = t.Str("key") ?? "";
        var op = t.Str("operator") ?? "Equal";
        if (key.Length > 0)
            foreach (var msg in NameValidation.IsQualifiedName(key)) errors.Add(FieldError.Invalid(path + ".key", key, msg));
        else if (op != "Exists")
            errors.Add(FieldError.Invalid(path + ".operator", op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
        if (!TolerationOperators.Contains(op)) errors.Add(FieldError.NotSupported(path + ".operator", op, TolerationOperators));
        if (op == "Exists" && !string.IsNullOrEmpty(t.Str("value")))
            errors.Add(FieldError.Invalid(path + ".operator", t.Str("value"), "value must be empty when `operator` is 'Exists'"));
        if (t.Str("effect") is { Length: > 0 } effect && !TaintEffects.Contains(effect))
            errors.Add(FieldError.NotSupported(path + ".effect", effect, TaintEffects));
        if (t["tolerationSeconds"] is not null && t.Str("effect") != "NoExecute")
            errors.Add(FieldError.Invalid(path + ".effect", t.Str("effect") ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
}
