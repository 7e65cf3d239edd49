using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Resources;

public sealed partial class ResourceRegistry
{
    /// <summary>A page of a list: the matching objects, the revision of the snapshot and a token for the next page.</summary>
    public sealed record ListPage(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long? RemainingItemCount);

    public ListPage List(ResourceKind kind, string? ns, ListQuery query)
    {
        var (all, revision) = _store.List(kind.KeyPrefixFor(ns));
        if (query.Continue is { } c)
        {
            if (c.Revision < _store.CompactedRevision)
                throw new ApiException(410, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            revision = c.Revision;
        }
        var matching = new List<StoredObject>();
        var remaining = 0L;
        string? lastKey = null;
        foreach (var item in all)
        {
            if (query.Continue is { } cont && string.CompareOrdinal(item.Key, cont.LastKey) <= 0) continue;
            if (!Matches(kind, item, query.Labels, query.Fields)) continue;
            if (query.Limit is { } limit && matching.Count >= limit)
            {
                remaining++;
                continue;
            }
            matching.Add(item);
            lastKey = item.Key;
        }
        var token = remaining > 0 && lastKey != null ? new ContinueToken(revision, lastKey).Encode() : null;
        return new ListPage(matching, revision, token, remaining > 0 ? remaining : null);
    }

    public static bool Matches(ResourceKind kind, StoredObject item, LabelSelector? labels, FieldSelector? fields) =>
        (labels == null && fields == null) || Matches(kind, item.Parse(), labels, fields);

    public static bool Matches(ResourceKind kind, JsonObject obj, LabelSelector? labels, FieldSelector? fields)
    {
        if (labels != null && !labels.Matches(obj.Labels())) return false;
        if (fields != null && !fields.Matches(kind, obj)) return false;
        return true;
    }

    /// <summary>Starts a store watch for a kind in a namespace (or all) after a revision.</summary>
    public async Task<IWatchSubscription> WatchAsync(ResourceKind kind, string? ns, long afterRevision, CancellationToken ct)
    {
        try
        {
            return await _store.WatchAsync(kind.KeyPrefixFor(ns), afterRevision, ct);
        }
        catch (RevisionCompactedException e)
        {
            throw ApiException.Gone(e.Message);
        }
    }
}
