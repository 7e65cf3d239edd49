using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.GarbageCollection;

/// <summary>Minimal valid objects for garbage-collection tests.</summary>
public static class GcObjects
{
    public static JsonObject ReplicaSet(string name, string ns = "default") => JsonNode.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"{{{name}}}"}},
                 "template":{"metadata":{"labels":{"app":"{{{name}}}"}},"spec":{"containers":[{"name":"c","image":"nginx"}]} } } }
        """)!.AsObject();

    public static JsonObject Pod(string name, string? nodeName = null, string ns = "default", params JsonObject[] ownerRefs)
    {
        var pod = JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}
            """)!.AsObject();
        if (nodeName != null) pod.Obj("spec")["nodeName"] = nodeName;
        if (ownerRefs.Length > 0) pod.Metadata()["ownerReferences"] = new JsonArray(ownerRefs.Select(r => (JsonNode)r.DeepClone()).ToArray());
        return pod;
    }

    public static JsonObject ConfigMap(string name, string ns = "default", params JsonObject[] ownerRefs)
    {
        var cm = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject { ["k"] = "v" },
        };
        if (ownerRefs.Length > 0) cm.Metadata()["ownerReferences"] = new JsonArray(ownerRefs.Select(r => (JsonNode)r.DeepClone()).ToArray());
        return cm;
    }

    public static JsonObject Ref(JsonObject owner, bool controller = true, bool block = true) => new()
    {
        ["apiVersion"] = owner.ApiVersion(),
        ["kind"] = owner.Kind(),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = controller,
        ["blockOwnerDeletion"] = block,
    };

    public static JsonObject Ref(string apiVersion, string kind, string name, string uid) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = name,
        ["uid"] = uid,
    };
}
