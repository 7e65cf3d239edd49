using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Networking;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Admission;

/// <summary>
/// Services: defaulting, validation, and cluster IP / node port allocation.
/// <para>Flow for a create or update:</para>
/// <list type="number">
/// <item>Update only: carry over allocations the client omitted (clusterIP, nodePorts, healthCheckNodePort),
/// mirror clusterIP into clusterIPs, and drop fields the new type does not use if the client left them as they were.</item>
/// <item>Default (type, protocol, targetPort, affinity, traffic policies, IP families).</item>
/// <item>Validate; stop there if any step reported errors, so a doomed write allocates nothing.</item>
/// <item>Allocate what is new, registering a rollback for each; release what the update gave up only once
/// the write is durable (OnCommitted), so a failed update never loses a live allocation.</item>
/// </list>
/// Deletes release in <see cref="Deleted"/>, which the REST layer calls after the delete is stored.
/// </summary>
public sealed class ServiceAdmission : IAdmissionStep, IResourceLifecycleHook
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] FamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    private static readonly string[] Families = ["IPv4", "IPv6"];

    public const int DefaultClientIpTimeoutSeconds = 10800;
    public const int MaxClientIpTimeoutSeconds = 86400;

    private readonly ServiceIpAllocator _ips;
    private readonly NodePortAllocator _nodePorts;
    private readonly string _family;

    public ServiceAdmission(ServiceIpAllocator ips, NodePortAllocator nodePorts)
    {
        _ips = ips;
        _nodePorts = nodePorts;
        _family = ips.Network.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
    }

    public void Admit(AdmissionRequest request)
    {
        if (!IsService(request.Kind) || request.Operation == AdmissionOperation.Delete || request.Subresource is not null) return;

        var svc = request.Object;
        var spec = svc.Obj("spec");
        var oldSpec = request.Operation == AdmissionOperation.Update ? request.OldObject?["spec"] as JsonObject : null;

        if (oldSpec is not null)
        {
            // Status belongs to the status subresource; a main-resource write never changes it.
            svc["status"] = request.OldObject!["status"]?.DeepClone() ?? new JsonObject { ["loadBalancer"] = new JsonObject() };
            PreserveAllocations(spec, oldSpec);
            NormalizeClusterIps(spec, oldSpec);
            DropTypeDependentFields(spec, oldSpec);
        }
        else
        {
            svc["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
            NormalizeClusterIps(spec, null);
        }

        ApplyDefaults(spec);
        Validate(spec, oldSpec, request.Errors);
        if (request.Errors.Count > 0) return;
        Allocate(request, spec, oldSpec);
    }

    public void Rebuild(ResourceKind kind, IEnumerable<JsonObject> storedObjects)
    {
        if (!IsService(kind)) return;
        // Storage is the truth after a restart; whatever the allocators held before is stale.
        _ips.Clear();
        _nodePorts.Clear();
        foreach (var svc in storedObjects)
        {
            if (svc["spec"] is not JsonObject spec) continue;
            if (AllocatedIp(spec) is { } ip) _ips.TryAllocate(ip, out _);
            foreach (var port in AllocatedNodePorts(spec)) _nodePorts.TryAllocate(port, out _);
        }
    }

    public void Deleted(ResourceKind kind, JsonObject deletedObject)
    {
        if (!IsService(kind) || deletedObject["spec"] is not JsonObject spec) return;
        if (AllocatedIp(spec) is { } ip) _ips.Release(ip);
        foreach (var port in AllocatedNodePorts(spec)) _nodePorts.Release(port);
    }

    private static bool IsService(ResourceKind kind) => kind.Group.Length == 0 && kind.Kind == "Service";

    private static string TypeOf(JsonObject spec) => spec.Str("type") is { Length: > 0 } t ? t : "ClusterIP";

    private static bool NeedsClusterIp(JsonObject spec) => TypeOf(spec) != "ExternalName";

    /// <summary>Types whose ports may carry node ports at all (requested ones are honoured even without dynamic allocation).</summary>
    private static bool UsesNodePorts(JsonObject spec) => TypeOf(spec) is "NodePort" or "LoadBalancer";

    /// <summary>Types whose ports get a node port allocated when none was requested.</summary>
    private static bool NeedsNodePorts(JsonObject spec) => TypeOf(spec) switch
    {
        "NodePort" => true,
        "LoadBalancer" => spec.Bool("allocateLoadBalancerNodePorts") != false,
        _ => false,
    };

    private static bool NeedsHealthCheckNodePort(JsonObject spec) =>
        TypeOf(spec) == "LoadBalancer" && spec.Str("externalTrafficPolicy") == "Local";

    private static bool NeedsExternalTrafficPolicy(JsonObject spec) => TypeOf(spec) is "NodePort" or "LoadBalancer";

    private static IEnumerable<JsonObject> Ports(JsonObject spec) => (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string ProtocolOf(JsonObject port) => port.Str("protocol") is { Length: > 0 } p ? p : "TCP";

    private static IPAddress? AllocatedIp(JsonObject spec) =>
        NeedsClusterIp(spec) && spec.Str("clusterIP") is { Length: > 0 } ip && ip != "None" ? IpValidation.ParseIp(ip) : null;

    /// <summary>Distinct node ports a stored service holds, health check port included.</summary>
    private static HashSet<int> AllocatedNodePorts(JsonObject spec)
    {
        var ports = new HashSet<int>();
        // Only types that allocate node ports hold them; a stray value on another type was never allocated
        // and must not release a port some other service holds.
        if (UsesNodePorts(spec))
            foreach (var p in Ports(spec))
                if (p.Long("nodePort") is { } np and > 0 and <= 65535) ports.Add((int)np);
        if (NeedsHealthCheckNodePort(spec) && spec.Long("healthCheckNodePort") is { } hc and > 0 and <= 65535) ports.Add((int)hc);
        return ports;
    }

    // --- 1. update preparation ---------------------------------------------------------------------------

    /// <summary>A PUT that omits allocated values keeps them, as kubectl replace relies on.</summary>
    private static void PreserveAllocations(JsonObject spec, JsonObject oldSpec)
    {
        if (NeedsClusterIp(oldSpec) && NeedsClusterIp(spec) && string.IsNullOrEmpty(spec.Str("clusterIP")) &&
            spec["clusterIPs"] is not JsonArray { Count: > 0 })
        {
            if (oldSpec["clusterIP"] is { } ip) spec["clusterIP"] = ip.DeepClone();
            if (oldSpec["clusterIPs"] is { } ips) spec["clusterIPs"] = ips.DeepClone();
        }

        if (UsesNodePorts(oldSpec) && UsesNodePorts(spec))
            foreach (var port in Ports(spec))
            {
                if (port.Long("nodePort") is > 0) continue;
                var match = Ports(oldSpec).FirstOrDefault(o =>
                    o.Long("port") == port.Long("port") && ProtocolOf(o) == ProtocolOf(port) && o.Long("nodePort") is > 0);
                if (match is not null) port["nodePort"] = match.Long("nodePort");
            }

        if (NeedsHealthCheckNodePort(oldSpec) && NeedsHealthCheckNodePort(spec) && spec.Long("healthCheckNodePort") is null or 0 &&
            oldSpec.Long("healthCheckNodePort") is > 0 and var hc)
            spec["healthCheckNodePort"] = hc;
    }

    /// <summary>Keeps clusterIP and clusterIPs[0] in step whichever one the client changed.</summary>
    private static void NormalizeClusterIps(JsonObject spec, JsonObject? oldSpec)
    {
        var ip = spec.Str("clusterIP") ?? "";
        if (oldSpec is not null && ip != (oldSpec.Str("clusterIP") ?? "") &&
            JsonNode.DeepEquals(spec["clusterIPs"], oldSpec["clusterIPs"]))
        {
            if (ip.Length == 0) spec.Remove("clusterIPs");
            else spec["clusterIPs"] = new JsonArray(ip);
        }
        var ips = spec["clusterIPs"] as JsonArray;
        if (ip.Length > 0 && ips is not { Count: > 0 }) spec["clusterIPs"] = new JsonArray(ip);
        else if (ip.Length == 0 && ips is { Count: > 0 } && ips[0] is JsonValue first && first.TryGetValue<string>(out var s))
            spec["clusterIP"] = s;
    }

    /// <summary>
    /// On a type change, fields only the old type used are cleared when the client sent them back unchanged
    /// (a GET-edit-PUT of the type alone must succeed); values the client changed are kept and validated.
    /// </summary>
    private static void DropTypeDependentFields(JsonObject spec, JsonObject oldSpec)
    {
        if (NeedsClusterIp(oldSpec) && !NeedsClusterIp(spec))
        {
            if (spec.Str("clusterIP") == oldSpec.Str("clusterIP") && JsonNode.DeepEquals(spec["clusterIPs"], oldSpec["clusterIPs"]))
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            if (JsonNode.DeepEquals(spec["ipFamilies"], oldSpec["ipFamilies"])) spec.Remove("ipFamilies");
            if (spec.Str("ipFamilyPolicy") == oldSpec.Str("ipFamilyPolicy")) spec.Remove("ipFamilyPolicy");
            if (spec.Str("internalTrafficPolicy") == oldSpec.Str("internalTrafficPolicy")) spec.Remove("internalTrafficPolicy");
        }

        if (UsesNodePorts(oldSpec) && !UsesNodePorts(spec))
        {
            var oldPorts = Ports(oldSpec).Select(p => p.Long("nodePort") ?? 0).ToHashSet();
            if (Ports(spec).All(p => p.Long("nodePort") is null or 0 || oldPorts.Contains(p.Long("nodePort")!.Value)))
                foreach (var p in Ports(spec)) p.Remove("nodePort");
        }

        if (NeedsHealthCheckNodePort(oldSpec) && !NeedsHealthCheckNodePort(spec) &&
            spec.Long("healthCheckNodePort") == oldSpec.Long("healthCheckNodePort"))
            spec.Remove("healthCheckNodePort");

        if (TypeOf(spec) != "LoadBalancer") spec.Remove("allocateLoadBalancerNodePorts");

        if (NeedsExternalTrafficPolicy(oldSpec) && !NeedsExternalTrafficPolicy(spec) &&
            spec.Str("externalTrafficPolicy") == oldSpec.Str("externalTrafficPolicy"))
            spec.Remove("externalTrafficPolicy");
    }

    // --- 2. defaults -------------------------------------------------------------------------------------

    private void ApplyDefaults(JsonObject spec)
    {
        if (spec["type"] is null) spec["type"] = "ClusterIP";
        var type = TypeOf(spec);

        if (spec["sessionAffinity"] is null) spec["sessionAffinity"] = "None";
        if (spec.Str("sessionAffinity") == "ClientIP")
        {
            var clientIp = spec.Obj("sessionAffinityConfig").Obj("clientIP");
            if (clientIp["timeoutSeconds"] is null) clientIp["timeoutSeconds"] = DefaultClientIpTimeoutSeconds;
        }

        foreach (var port in Ports(spec))
        {
            if (port["protocol"] is null) port["protocol"] = "TCP";
            var target = port["targetPort"];
            var unset = target is null ||
                        (target is JsonValue tv && ((tv.TryGetValue<string>(out var ts) && ts.Length == 0) ||
                                                    new JsonObject { ["t"] = tv.DeepClone() }.Long("t") == 0));
            if (unset && port["port"] is { } p) port["targetPort"] = p.DeepClone();
        }

        if (NeedsExternalTrafficPolicy(spec) && spec["externalTrafficPolicy"] is null) spec["externalTrafficPolicy"] = "Cluster";
        if (type == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"] is null) spec["allocateLoadBalancerNodePorts"] = true;

        if (type != "ExternalName")
        {
            if (spec["internalTrafficPolicy"] is null) spec["internalTrafficPolicy"] = "Cluster";
            if (spec["ipFamilyPolicy"] is null) spec["ipFamilyPolicy"] = "SingleStack";
            if (spec["ipFamilies"] is not JsonArray { Count: > 0 }) spec["ipFamilies"] = new JsonArray(_family);
        }
    }

    // --- 3. validation -----------------------------------------------------------------------------------

    private void Validate(JsonObject spec, JsonObject? oldSpec, List<FieldError> errors)
    {
        var type = TypeOf(spec);
        if (!Types.Contains(type)) errors.Add(FieldError.NotSupported("spec.type", type, Types));

        var clusterIp = spec.Str("clusterIP") ?? "";
        var headless = clusterIp == "None";
        ValidateClusterIps(spec, type, errors);

        if (type == "ExternalName")
        {
            if (spec["clusterIPs"] is JsonArray { Count: > 0 })
                errors.Add(FieldError.Forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            if (spec["ipFamilies"] is JsonArray { Count: > 0 })
                errors.Add(FieldError.Forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
            if (spec["ipFamilyPolicy"] is not null)
                errors.Add(FieldError.Forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
            // A trailing dot marks the CNAME as fully qualified and is not part of the name.
            var cname = (spec.Str("externalName") ?? "").TrimEnd('.');
            if (cname.Length == 0) errors.Add(FieldError.Required("spec.externalName", ""));
            else foreach (var msg in NameValidation.IsDns1123Subdomain(cname)) errors.Add(FieldError.Invalid("spec.externalName", cname, msg));
        }
        else
        {
            ValidateIpFamilies(spec, errors);
        }

        ValidatePorts(spec, type, headless, errors);

        var affinity = spec.Str("sessionAffinity") ?? "None";
        if (!Affinities.Contains(affinity)) errors.Add(FieldError.NotSupported("spec.sessionAffinity", affinity, Affinities));
        if (affinity == "ClientIP")
        {
            var timeout = spec.At("sessionAffinityConfig.clientIP").Long("timeoutSeconds");
            if (timeout is not (> 0 and <= MaxClientIpTimeoutSeconds))
                errors.Add(FieldError.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                    $"must be greater than 0 and less than {MaxClientIpTimeoutSeconds}"));
        }
        else if (affinity == "None" && spec["sessionAffinityConfig"] is JsonObject)
        {
            errors.Add(FieldError.Forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }

        errors.AddRange(MetadataValidation.ValidateLabels(spec["selector"], "spec.selector"));

        if (spec["externalIPs"] is JsonArray externalIps)
            for (var i = 0; i < externalIps.Count; i++)
            {
                var ip = externalIps[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                var msgs = IpValidation.IsValidIp(ip);
                if (msgs.Count == 0) msgs = IpValidation.IsNonSpecialIp(ip);
                foreach (var msg in msgs) errors.Add(FieldError.Invalid($"spec.externalIPs[{i}]", ip, msg));
            }

        if (spec["loadBalancerSourceRanges"] is JsonArray { Count: > 0 } ranges)
        {
            // Upstream reports this field with a capital L and the whole list as one Go-formatted value;
            // kept as is because users match on the message.
            const string path = "spec.LoadBalancerSourceRanges";
            if (type != "LoadBalancer")
                errors.Add(FieldError.Forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
            var values = ranges.Select(r => r is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList();
            // Padding with spaces is tolerated: the field started life as a comma-separated annotation.
            if (values.Any(v => !IpValidation.TryParseCidr(v.Trim(), out _, out _)))
                errors.Add(FieldError.Invalid(path, "[" + string.Join(' ', values) + "]",
                    "must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 "));
        }

        var etp = spec.Str("externalTrafficPolicy");
        if (etp is { Length: > 0 })
        {
            if (!TrafficPolicies.Contains(etp)) errors.Add(FieldError.NotSupported("spec.externalTrafficPolicy", etp, TrafficPolicies));
            else if (!NeedsExternalTrafficPolicy(spec) && spec["externalIPs"] is not JsonArray { Count: > 0 })
                errors.Add(FieldError.Invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"));
        }
        if (spec.Str("internalTrafficPolicy") is { } itp && !TrafficPolicies.Contains(itp))
            errors.Add(FieldError.NotSupported("spec.internalTrafficPolicy", itp, TrafficPolicies));

        if (spec.Long("healthCheckNodePort") is { } hc and not 0)
        {
            if (!NeedsHealthCheckNodePort(spec))
                errors.Add(FieldError.Invalid("spec.healthCheckNodePort", hc,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            else foreach (var msg in PortValidation.IsValidPortNum(hc)) errors.Add(FieldError.Invalid("spec.healthCheckNodePort", hc, msg));
        }

        if (spec["allocateLoadBalancerNodePorts"] is not null && type != "LoadBalancer")
            errors.Add(FieldError.Forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));

        if (oldSpec is not null) ValidateUpdate(spec, oldSpec, errors);
    }

    private void ValidateClusterIps(JsonObject spec, string type, List<FieldError> errors)
    {
        var clusterIp = spec.Str("clusterIP") ?? "";
        if (spec["clusterIPs"] is not JsonArray ips || ips.Count == 0) return;
        var values = ips.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList();
        if (clusterIp.Length > 0 && values[0] != clusterIp)
            errors.Add(FieldError.Invalid("spec.clusterIPs", ips.DeepClone(), "first value must match `clusterIP`"));
        if (type == "ExternalName") return;

        if (values.Count > 1)
            errors.Add(FieldError.Invalid("spec.clusterIPs", ips.DeepClone(), "may specify no more than one IP for each IP family"));
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == "None")
            {
                if (i > 0 || values.Count > 1)
                    errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", values[i], "'None' must be the first and only value"));
                else if (type is "NodePort" or "LoadBalancer")
                    errors.Add(FieldError.Invalid("spec.clusterIPs[0]", "None", $"may not be set to 'None' for {type} services"));
                continue;
            }
            if (IpValidation.ParseIp(values[i]) is null)
                errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", values[i], IpValidation.InvalidIpMessage));
        }
    }

    private void ValidateIpFamilies(JsonObject spec, List<FieldError> errors)
    {
        var policy = spec.Str("ipFamilyPolicy");
        if (policy is not null && !FamilyPolicies.Contains(policy))
            errors.Add(FieldError.NotSupported("spec.ipFamilyPolicy", policy, FamilyPolicies));
        else if (policy == "RequireDualStack")
            errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"));

        if (spec["ipFamilies"] is not JsonArray families) return;
        for (var i = 0; i < families.Count; i++)
        {
            var family = families[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            if (!Families.Contains(family)) errors.Add(FieldError.NotSupported($"spec.ipFamilies[{i}]", family, Families));
            else if (family != _family) errors.Add(FieldError.Invalid($"spec.ipFamilies[{i}]", family, "not configured on this cluster"));
        }
    }

    private static void ValidatePorts(JsonObject spec, string type, bool headless, List<FieldError> errors)
    {
        var ports = spec["ports"] as JsonArray;
        if ((ports is null || ports.Count == 0) && !headless && type != "ExternalName")
        {
            errors.Add(FieldError.Required("spec.ports", ""));
            return;
        }
        if (ports is null) return;

        var requireName = ports.Count > 1;
        var names = new HashSet<string>();
        var portKeys = new HashSet<(long, string)>();
        var nodePortKeys = new HashSet<(long, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            if (ports[i] is not JsonObject port)
            {
                errors.Add(FieldError.Required(path, ""));
                continue;
            }
            var name = port.Str("name") ?? "";
            if (requireName && name.Length == 0) errors.Add(FieldError.Required(path + ".name", ""));
            else if (name.Length > 0)
            {
                foreach (var msg in NameValidation.IsDns1123Label(name)) errors.Add(FieldError.Invalid(path + ".name", name, msg));
                if (!names.Add(name)) errors.Add(FieldError.Duplicate(path + ".name", name));
            }

            var number = port.Long("port") ?? 0;
            foreach (var msg in PortValidation.IsValidPortNum(number)) errors.Add(FieldError.Invalid(path + ".port", number, msg));

            var protocol = port.Str("protocol") ?? "";
            if (protocol.Length == 0) errors.Add(FieldError.Required(path + ".protocol", ""));
            else if (!Protocols.Contains(protocol)) errors.Add(FieldError.NotSupported(path + ".protocol", protocol, Protocols));

            PodSpecValidator.ValidatePortNumOrName(port["targetPort"], path + ".targetPort", errors);

            if (!portKeys.Add((number, protocol)))
                errors.Add(FieldError.Duplicate(path, new JsonObject { ["port"] = number, ["protocol"] = protocol }));

            var nodePort = port.Long("nodePort") ?? 0;
            if (nodePort != 0)
            {
                if (type == "ClusterIP")
                    errors.Add(FieldError.Forbidden(path + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
                foreach (var msg in PortValidation.IsValidPortNum(nodePort)) errors.Add(FieldError.Invalid(path + ".nodePort", nodePort, msg));
                if (!nodePortKeys.Add((nodePort, protocol))) errors.Add(FieldError.Duplicate(path + ".nodePort", nodePort));
            }
        }
    }

    private static void ValidateUpdate(JsonObject spec, JsonObject oldSpec, List<FieldError> errors)
    {
        // The primary cluster IP is fixed for the service's life, except across ExternalName, which has none.
        if (!NeedsClusterIp(oldSpec) || !NeedsClusterIp(spec)) return;
        var oldIp = oldSpec.Str("clusterIP") ?? "";
        var newIp = spec.Str("clusterIP") ?? "";
        if (oldIp.Length > 0 && oldIp != newIp)
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", spec["clusterIPs"]?.DeepClone() ?? new JsonArray(), "may not change once set"));
    }

    // --- 4. allocation -----------------------------------------------------------------------------------

    private void Allocate(AdmissionRequest request, JsonObject spec, JsonObject? oldSpec)
    {
        AllocateClusterIp(request, spec, oldSpec);
        AllocateNodePorts(request, spec, oldSpec);
    }

    private void AllocateClusterIp(AdmissionRequest request, JsonObject spec, JsonObject? oldSpec)
    {
        var oldIp = oldSpec is null ? null : AllocatedIp(oldSpec);
        if (!NeedsClusterIp(spec))
        {
            if (oldIp is not null) request.OnCommitted.Add(() => _ips.Release(oldIp));
            return;
        }

        var requested = spec.Str("clusterIP") ?? "";
        if (requested == "None") return;
        if (requested.Length == 0)
        {
            var next = _ips.AllocateNext();
            if (next is null)
            {
                request.Errors.Add(FieldError.Invalid("spec.clusterIPs", new JsonArray(), "failed to allocate a serviceIP: range is full"));
                return;
            }
            request.Rollbacks.Add(() => _ips.Release(next));
            spec["clusterIP"] = next.ToString();
            spec["clusterIPs"] = new JsonArray(next.ToString());
            return;
        }

        var ip = IpValidation.ParseIp(requested)!;
        if (oldIp is not null && oldIp.Equals(ip)) return;
        if (!_ips.TryAllocate(ip, out var error))
        {
            request.Errors.Add(FieldError.Invalid("spec.clusterIPs", spec["clusterIPs"]?.DeepClone() ?? new JsonArray(requested),
                $"failed to allocate IP {requested}: {error}"));
            return;
        }
        request.Rollbacks.Add(() => _ips.Release(ip));
    }

    private void AllocateNodePorts(AdmissionRequest request, JsonObject spec, JsonObject? oldSpec)
    {
        var previouslyHeld = oldSpec is null ? [] : AllocatedNodePorts(oldSpec);
        var held = new HashSet<int>();

        bool Claim(int port, string path)
        {
            if (held.Contains(port) || previouslyHeld.Contains(port))
            {
                held.Add(port);
                return true;
            }
            if (!_nodePorts.TryAllocate(port, out var error))
            {
                request.Errors.Add(FieldError.Invalid(path, (long)port, error));
                return false;
            }
            request.Rollbacks.Add(() => _nodePorts.Release(port));
            held.Add(port);
            return true;
        }

        int? Next(string path)
        {
            var next = _nodePorts.AllocateNext();
            if (next is null)
            {
                request.Errors.Add(FieldError.Invalid(path, 0L, "failed to allocate a nodePort: range is full"));
                return null;
            }
            var port = next.Value;
            request.Rollbacks.Add(() => _nodePorts.Release(port));
            held.Add(port);
            return port;
        }

        if (UsesNodePorts(spec))
        {
            var ports = Ports(spec).ToList();
            // One service may expose a port number over TCP and UDP (DNS does); both share one node port.
            var byServicePort = new Dictionary<long, int>();
            for (var i = 0; i < ports.Count; i++)
                if (ports[i].Long("nodePort") is { } np and > 0 && Claim((int)np, $"spec.ports[{i}].nodePort"))
                    byServicePort.TryAdd(ports[i].Long("port") ?? 0, (int)np);
            for (var i = 0; i < ports.Count && NeedsNodePorts(spec); i++)
            {
                if (ports[i].Long("nodePort") is > 0) continue;
                var servicePort = ports[i].Long("port") ?? 0;
                if (!byServicePort.TryGetValue(servicePort, out var np))
                {
                    if (Next($"spec.ports[{i}].nodePort") is not { } allocated) return;
                    np = allocated;
                    byServicePort[servicePort] = np;
                }
                ports[i]["nodePort"] = np;
            }
        }

        if (NeedsHealthCheckNodePort(spec))
        {
            if (spec.Long("healthCheckNodePort") is { } hc and > 0) Claim((int)hc, "spec.healthCheckNodePort");
            else if (Next("spec.healthCheckNodePort") is { } allocated) spec["healthCheckNodePort"] = allocated;
        }

        foreach (var port in previouslyHeld.Where(p => !held.Contains(p)))
            request.OnCommitted.Add(() => _nodePorts.Release(port));
    }
}
