using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// A resource URL taken apart. The grammar (after /api/v1 or /apis/{group}/{version}):
/// <code>
///   [watch/] {plural}                               list/watch across namespaces, or cluster-scoped collection
///   [watch/] {plural}/{name}[/{subresource}]        cluster-scoped object
///   [watch/] namespaces/{ns}/{plural}[/{name}[/{subresource}]]
///   namespaces/{name}/{status|finalize}             subresources of a namespace itself
/// </code>
/// </summary>
public sealed record ApiPath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource, bool WatchPrefix)
{
    public static ApiPath Parse(ResourceCatalog catalog, string group, string version, IReadOnlyList<string> rest)
    {
        var watch = rest.Count > 0 && rest[0] == "watch";
        var r = watch ? rest.Skip(1).ToList() : rest.ToList();
        if (r.Count == 0) throw ApiException.PathNotFound();

        string? ns = null;
        if (r[0] == "namespaces" && r.Count >= 3 && r[2] is not ("status" or "finalize"))
        {
            ns = r[1];
            r = r.Skip(2).ToList();
        }

        var kind = catalog.FindByPlural(group, version, r[0]) ?? throw ApiException.PathNotFound();
        if (r.Count > 3) throw ApiException.PathNotFound();
        var name = r.Count > 1 ? r[1] : null;
        var sub = r.Count > 2 ? r[2] : null;

        // A namespaced kind addressed without a namespace is only valid as a collection across all namespaces.
        if (kind.Namespaced && ns == null && name != null) throw ApiException.PathNotFound();
        if (!kind.Namespaced && ns != null) throw ApiException.PathNotFound();
        if (sub != null && !kind.HasSubresource(sub) && !(kind.Plural == "namespaces" && sub == "finalize"))
            throw ApiException.PathNotFound();
        return new ApiPath(kind, ns, name, sub, watch);
    }
}
