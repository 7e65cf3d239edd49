using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Turns objects of one kind into a <c>meta.k8s.io/v1</c> Table, the answer kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>.
/// Invariants kubectl depends on:
/// <list type="number">
/// <item>every row carries <c>object</c>; kubectl reads NAMESPACE and LABELS columns from its metadata;</item>
/// <item><c>metadata.resourceVersion</c> is the list's, since <c>get -w</c> starts its watch from it;</item>
/// <item>all cells, wide ones included, are always sent; kubectl hides columns by priority.</item>
/// </list>
/// </summary>
public sealed class TablePrinter
{
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Group, string Kind), IResourcePrinter> _printers;
    private readonly IResourcePrinter _fallback = new CreatedAtPrinter();

    public TablePrinter(TimeProvider time)
    {
        _time = time;
        _printers = new()
        {
            [("", "Pod")] = new PodPrinter(),
            [("", "Service")] = new ServicePrinter(),
            [("", "Endpoints")] = new EndpointsPrinter(),
            [("", "ReplicationController")] = new ReplicaSetPrinter(mapSelector: true),
            [("", "Namespace")] = new NamespacePrinter(),
            [("", "Node")] = new NodePrinter(),
            [("", "Event")] = new EventPrinter(eventsApi: false),
            [("", "ConfigMap")] = new ConfigMapPrinter(),
            [("", "Secret")] = new SecretPrinter(),
            [("", "ServiceAccount")] = new ServiceAccountPrinter(),
            [("", "ResourceQuota")] = new ResourceQuotaPrinter(),
            [("", "LimitRange")] = _fallback,
            [("apps", "Deployment")] = new DeploymentPrinter(),
            [("apps", "ReplicaSet")] = new ReplicaSetPrinter(mapSelector: false),
            [("apps", "DaemonSet")] = new DaemonSetPrinter(),
            [("apps", "ControllerRevision")] = new ControllerRevisionPrinter(),
            [("batch", "Job")] = new JobPrinter(),
            [("batch", "CronJob")] = new CronJobPrinter(),
            [("discovery.k8s.io", "EndpointSlice")] = new EndpointSlicePrinter(),
            [("coordination.k8s.io", "Lease")] = new LeasePrinter(),
            [("events.k8s.io", "Event")] = new EventPrinter(eventsApi: true),
        };
    }

    /// <summary>The column definitions sent for <paramref name="kind"/>.</summary>
    public IReadOnlyList<TableColumn> ColumnsFor(ResourceKind kind) => PrinterFor(kind).Columns;

    /// <param name="kind">Kind of every object in <paramref name="objects"/>.</param>
    /// <param name="objects">Objects in the order to print; a single GET passes one.</param>
    /// <param name="listResourceVersion">Resource version of the list (or of the single object); omitted when null.</param>
    /// <param name="continueToken">Paging token; omitted when null or empty.</param>
    /// <param name="includeFullObject">
    /// True for <c>includeObject=Object</c> (e.g. <c>--sort-by</c>): rows carry the whole object. Otherwise a
    /// PartialObjectMetadata with the object's full metadata.
    /// </param>
    public JsonObject BuildTable(
        ResourceKind kind,
        IReadOnlyList<JsonObject> objects,
        string? listResourceVersion,
        string? continueToken,
        bool includeFullObject)
    {
        var printer = PrinterFor(kind);
        var context = new PrintContext(_time.GetUtcNow());

        var columns = new JsonArray();
        foreach (var c in printer.Columns) columns.Add(c.ToJson());

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var cell in printer.Cells(obj, context)) cells.Add(cell);
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = RowObject(kind, obj, includeFullObject) });
        }

        var metadata = new JsonObject();
        if (listResourceVersion != null) metadata["resourceVersion"] = listResourceVersion;
        if (!string.IsNullOrEmpty(continueToken)) metadata["continue"] = continueToken;

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private IResourcePrinter PrinterFor(ResourceKind kind) =>
        _printers.TryGetValue((kind.Group, kind.Kind), out var p) ? p : _fallback;

    private static JsonObject RowObject(ResourceKind kind, JsonObject obj, bool full)
    {
        if (full)
        {
            var copy = obj.Clone();
            // Stored objects may lack type meta; kubectl decodes the embedded object by it.
            copy["apiVersion"] ??= kind.ApiVersion;
            copy["kind"] ??= kind.Kind;
            return copy;
        }
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
