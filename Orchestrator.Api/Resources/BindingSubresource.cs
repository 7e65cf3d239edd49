using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// <c>pods/binding</c>: how the scheduler assigns a pod to a node. It sets spec.nodeName once (a bound pod cannot be
/// re-bound) and records the PodScheduled condition.
/// </summary>
public sealed class BindingSubresource(ResourceRegistry registry, TimeProvider time)
{
    public async Task BindAsync(ResourceKind podKind, string ns, string name, JsonObject binding, CancellationToken ct)
    {
        var target = binding["target"] as JsonObject;
        var node = target.Str("name");
        if (string.IsNullOrEmpty(node))
            throw ApiException.Invalid("Binding", name, "", [FieldError.Required("target.name")]);
        if (target.Str("kind") is { Length: > 0 } k && k != "Node")
            throw ApiException.Invalid("Binding", name, "", [FieldError.NotSupported("target.kind", k, ["Node"])]);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = registry.GetStored(podKind, ns, name);
            var pod = stored.Parse();
            if (pod["metadata"]?["deletionTimestamp"] != null)
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is being deleted, cannot be assigned to a host");
            if (pod["spec"].Str("nodeName") is { Length: > 0 } existing)
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{existing}\"")
                { Name = name, Kind = "pods/binding" };

            pod.Obj("spec")["nodeName"] = node;
            var status = pod.Obj("status");
            var conditions = status["conditions"] as JsonArray ?? new JsonArray();
            foreach (var c in conditions.OfType<JsonObject>().Where(c => c.Str("type") == "PodScheduled").ToList()) conditions.Remove(c);
            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "True",
                ["lastProbeTime"] = null, ["lastTransitionTime"] = KubeTime.Format(time.GetUtcNow()),
            });
            status["conditions"] = conditions;
            try
            {
                await registry.Store.UpdateAsync(stored.Key, pod, stored.Revision, ct);
                return;
            }
            catch (Orchestrator.Core.Storage.RevisionConflictException)
            {
            }
        }
        throw registry.Conflict(podKind, name);
    }
}
