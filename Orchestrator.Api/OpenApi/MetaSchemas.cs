using System.Text.Json.Nodes;
using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>Schemas from apimachinery shared by every group: object/list metadata, selectors, Status, primitives.</summary>
internal static class MetaSchemas
{
    public static void Register(SchemaRegistry r)
    {
        r.Add(Quantity, new JsonObject
        {
            // No "type": kubectl explain then shows the type name (Quantity) instead of a bare <string>, and the
            // value may be written as a JSON number or string.
            ["description"] = "A fixed-point amount with an optional unit suffix, such as 100m (CPU) or 128Mi (memory).",
            ["x-kubernetes-int-or-string"] = true,
        });
        r.Add(IntOrString, new JsonObject
        {
            // No "type" for the same reason as Quantity: explain prints <IntOrString>.
            ["description"] = "A value that may be written either as an integer or as a string, such as 8080 or \"http\".",
            ["format"] = "int-or-string",
            ["x-kubernetes-int-or-string"] = true,
        });
        r.Add(Time, new JsonObject
        {
            ["description"] = "A timestamp in RFC 3339 form with second precision, always in UTC.",
            ["type"] = "string",
            ["format"] = "date-time",
        });
        r.Add(MicroTime, new JsonObject
        {
            ["description"] = "A timestamp in RFC 3339 form with microsecond precision.",
            ["type"] = "string",
            ["format"] = "date-time",
        });
        r.Add(Meta + "FieldsV1", new JsonObject
        {
            ["description"] = "A set of field paths in the trie form used by server-side apply.",
            ["type"] = "object",
            // Its keys are encoded field paths (f:spec, k:{...}), not properties, so no field inside it is unknown.
            ["x-kubernetes-preserve-unknown-fields"] = true,
        });
        r.Add("io.k8s.apimachinery.pkg.runtime.RawExtension", new JsonObject
        {
            ["description"] = "An embedded object of any kind, stored as JSON.",
            ["type"] = "object",
            ["x-kubernetes-preserve-unknown-fields"] = true,
        });

        r.Add(Meta + "ObjectMeta", Obj("Metadata that every persisted object carries, whether the user or the system sets it.",
            Str("name", "Name unique within a namespace (or the cluster for cluster-scoped kinds); cannot be changed after creation."),
            Str("generateName", "Prefix from which the server builds a unique name when name is empty."),
            Str("namespace", "Namespace the object lives in; empty for cluster-scoped objects."),
            Str("uid", "Unique identifier assigned by the server at creation and never reused."),
            Str("resourceVersion", "Opaque version of the object, changed on every write; used for optimistic concurrency and watches."),
            Long("generation", "Sequence number of the desired state, incremented by the server when the spec changes."),
            Timestamp("creationTimestamp", "When the server created the object; read-only."),
            Timestamp("deletionTimestamp", "When the object is due to be deleted; set by the server when a graceful deletion is requested."),
            Long("deletionGracePeriodSeconds", "Seconds the object is allowed to take to shut down before it is removed."),
            StrMap("labels", "Key/value pairs used to organise and select objects."),
            StrMap("annotations", "Key/value pairs for arbitrary non-identifying data, kept verbatim by the server."),
            List("ownerReferences", Meta + "OwnerReference", "Objects this one depends on; it is garbage collected when they all go away.", "uid"),
            StrList("finalizers", "Conditions that must be cleared before the object can be removed from storage.", set: true),
            List("managedFields", Meta + "ManagedFieldsEntry", "Which manager owns which fields, maintained by the server for server-side apply."),
            Str("selfLink", "Deprecated and no longer set by the server.")));

        r.Add(Meta + "ListMeta", Obj("Metadata carried by list responses.",
            Str("resourceVersion", "Version of the collection at the time it was read; start a watch from here."),
            Str("continue", "Token for fetching the next page when the list was limited."),
            Long("remainingItemCount", "How many items are left after this page, when the server can tell."),
            Str("selfLink", "Deprecated and no longer set by the server.")));

        r.Add(Meta + "OwnerReference", Obj("Points to an object that owns this one.",
            Req(Str("apiVersion", "API version of the owner.")),
            Req(Str("kind", "Kind of the owner.")),
            Req(Str("name", "Name of the owner.")),
            Req(Str("uid", "UID of the owner.")),
            Bool("controller", "True when the owner is the managing controller; at most one owner may have this set."),
            Bool("blockOwnerDeletion", "With foreground deletion, the owner is not removed until this dependent is gone.")));

        r.Add(Meta + "ManagedFieldsEntry", Obj("Records which fields one manager set, and through which operation.",
            Str("manager", "Name of the manager that owns these fields."),
            Enum("operation", "The kind of request that last changed these fields.", "Apply", "Update"),
            Str("apiVersion", "API version the field set is expressed in."),
            Timestamp("time", "When these fields were last changed."),
            Str("fieldsType", "Format of fieldsV1; always FieldsV1."),
            Ref("fieldsV1", Meta + "FieldsV1", "The owned field set."),
            Str("subresource", "Subresource through which the change was made, if any.")));

        r.Add(Meta + "LabelSelector", Obj("A label query; an empty selector matches everything and a null one nothing. All terms are ANDed.",
            StrMap("matchLabels", "Labels that must be present with exactly these values."),
            List("matchExpressions", Meta + "LabelSelectorRequirement", "Set-based requirements on labels.")));

        r.Add(Meta + "LabelSelectorRequirement", Obj("One set-based requirement on a label.",
            Req(Str("key", "The label key the requirement applies to.")),
            Req(Enum("operator", "How the key relates to the values.", "DoesNotExist", "Exists", "In", "NotIn")),
            StrList("values", "Values for In and NotIn; must be empty for Exists and DoesNotExist.")));

        r.Add(Meta + "Status", StatusSchema());
        r.Add(Meta + "StatusDetails", Obj("Extra machine-readable information about a Status.",
            Str("name", "Name of the object the status refers to."),
            Str("group", "API group of the object."),
            Str("kind", "Kind or resource of the object."),
            Str("uid", "UID of the object."),
            List("causes", Meta + "StatusCause", "Individual problems that made up the failure, such as invalid fields."),
            Int("retryAfterSeconds", "Suggested wait before retrying.")));
        r.Add(Meta + "StatusCause", Obj("One reason for a failure.",
            Str("reason", "Machine-readable cause, such as FieldValueInvalid."),
            Str("message", "Human-readable explanation."),
            Str("field", "Path of the field at fault, such as spec.ports[0].port.")));

        r.Add(Meta + "DeleteOptions", Obj("Options for a delete request.",
            Str("apiVersion", "Versioned schema of this representation."),
            Str("kind", "The REST resource type of this object."),
            Long("gracePeriodSeconds", "Seconds before the object is deleted; zero means now."),
            Ref("preconditions", Meta + "Preconditions", "Conditions that must hold for the delete to go ahead."),
            Enum("propagationPolicy", "Whether and how dependents are garbage collected.", "Background", "Foreground", "Orphan"),
            Bool("orphanDependents", "Deprecated: use propagationPolicy."),
            StrList("dryRun", "When present, the deletion is validated but not performed.")));
        r.Add(Meta + "Preconditions", Obj("Conditions checked before an operation.",
            Str("uid", "The object must have this UID."),
            Str("resourceVersion", "The object must have this resource version.")));
    }

    /// <summary>Status is returned for errors and deletes; it is a kind of its own in meta/v1.</summary>
    private static JsonObject StatusSchema()
    {
        var s = Obj("The result of an operation that does not return an object, such as an error or a delete.",
            Str("apiVersion", "Versioned schema of this representation."),
            Str("kind", "The REST resource type of this object."),
            Ref("metadata", Meta + "ListMeta", "Standard list metadata."),
            Enum("status", "Outcome of the operation.", "Failure", "Success"),
            Str("message", "Human-readable description of the outcome."),
            Str("reason", "Machine-readable reason, such as NotFound or AlreadyExists."),
            Ref("details", Meta + "StatusDetails", "Additional data tied to the reason."),
            Int("code", "HTTP status code of the response."));
        s["x-kubernetes-group-version-kind"] = GvkArray("", "v1", "Status");
        return s;
    }
}
