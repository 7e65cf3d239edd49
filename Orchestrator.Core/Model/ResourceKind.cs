namespace Orchestrator.Core.Model;

/// <summary>
/// Everything the server needs to know to serve one resource type: its group/version/kind,
/// the plural used in URLs, scope, and what discovery advertises (short names, categories, subresources).
/// </summary>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<SubresourceInfo> Subresources)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>"v1" for the core group, "apps/v1" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"services" for the core group, "deployments.apps" otherwise: the name used in Status messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    /// <summary>URL prefix of the group-version: "/api/v1" or "/apis/apps/v1".</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public bool HasSubresource(string name) => Subresources.Any(s => s.Name == name);

    /// <summary>Storage key prefix for all objects of this kind: "/{group or core}/{plural}/".</summary>
    public string KeyPrefix => $"/{(Group.Length == 0 ? "core" : Group)}/{Plural}/";

    /// <summary>Storage key prefix for objects of this kind in one namespace (or all, for cluster-scoped kinds).</summary>
    public string KeyPrefixFor(string? ns) => Namespaced && !string.IsNullOrEmpty(ns) ? $"{KeyPrefix}{ns}/" : KeyPrefix;

    /// <summary>Storage key of one object. Cluster-scoped objects use an empty namespace segment.</summary>
    public string KeyFor(string? ns, string name) => Namespaced ? $"{KeyPrefix}{ns}/{name}" : $"{KeyPrefix}/{name}";
}
