using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The pod's and the container's <c>securityContext</c> as Docker settings (the container's fields win over the
/// pod's, as upstream <c>DetermineEffectiveSecurityContext</c>):
/// <code>
/// runAsUser[, runAsGroup]      → User "uid" or "uid:gid" (a group without a user is an error, as in dockershim)
/// runAsNonRoot with uid 0      → error (an image's own user cannot be checked from the spec)
/// privileged                   → Privileged
/// capabilities.add / drop      → CapAdd / CapDrop
/// readOnlyRootFilesystem       → ReadonlyRootfs
/// allowPrivilegeEscalation=false → SecurityOpt no-new-privileges
/// seccompProfile Unconfined    → SecurityOpt seccomp=unconfined (RuntimeDefault is Docker's default)
/// </code>
/// The pod's supplementalGroups and fsGroup are not applied: Docker's GroupAdd is not part of our HostConfig model.
/// </summary>
public static class ContainerSecurity
{
    public static void Apply(JsonObject pod, JsonObject container, ContainerConfig config, HostConfig host)
    {
        var podContext = pod["spec"]?["securityContext"] as JsonObject;
        var own = container["securityContext"] as JsonObject;
        long? Long(string field) => own.Long(field) ?? podContext.Long(field);

        var uid = Long("runAsUser");
        var gid = Long("runAsGroup");
        if (gid != null && uid == null)
            throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError, "runAsGroup is specified without a runAsUser");
        if (uid != null)
            config.User = gid != null
                ? $"{uid.Value.ToString(CultureInfo.InvariantCulture)}:{gid.Value.ToString(CultureInfo.InvariantCulture)}"
                : uid.Value.ToString(CultureInfo.InvariantCulture);
        var nonRoot = own.Bool("runAsNonRoot") ?? podContext.Bool("runAsNonRoot");
        if (nonRoot == true && uid == 0)
            throw new ContainerConfigException(ContainerConfigReasons.CreateContainerConfigError,
                $"container's runAsUser breaks non-root policy (pod: \"{pod.Name()}_{pod.Namespace()}({pod.Uid()})\", container: {container.Str("name")})");

        if (own == null && podContext == null) return;
        host.Privileged = own.Bool("privileged") == true;
        if (own?["capabilities"] is JsonObject caps)
        {
            var add = Strings(caps["add"]);
            var drop = Strings(caps["drop"]);
            if (add.Count > 0) host.CapAdd = add;
            if (drop.Count > 0) host.CapDrop = drop;
        }
        host.ReadonlyRootfs = own.Bool("readOnlyRootFilesystem") == true;

        var securityOpt = new List<string>();
        // Privileged containers may always escalate; the API rejects the combination with false anyway.
        if (own.Bool("allowPrivilegeEscalation") == false && !host.Privileged) securityOpt.Add("no-new-privileges");
        var seccomp = (own?["seccompProfile"] ?? podContext?["seccompProfile"]).Str("type");
        if (seccomp == "Unconfined") securityOpt.Add("seccomp=unconfined");
        if (securityOpt.Count > 0) host.SecurityOpt = securityOpt;
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null)
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
}
