using System.Text.Json.Nodes;
using Orchestrator.Api.Printing;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Printing;

public class TablePrinterTests
{
    private const string PodJson = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"toolbox","namespace":"default","uid":"u-1","resourceVersion":"1013",
           "creationTimestamp":"2026-11-22T01:50:00Z","labels":{"app":"toolbox","env":"devel"}},
         "spec":{"nodeName":"node1","containers":[{"name":"c"}]},
         "status":{"phase":"Running","podIP":"10.244.0.11","containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{}}}]}}
        """;

    private static JsonObject Build(ResourceKind kind, IReadOnlyList<JsonObject> objects, string? rv, string? cont, bool full) =>
        Print.Printer().BuildTable(kind, objects, rv, cont, full);

    [Fact]
    public void BuildTable_Shape_KindMetadataColumnsRows()
    {
        var table = Build(Print.Kind("", "Pod"), [JsonNode.Parse(PodJson)!.AsObject()], "1020", null, false);

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal("""{"resourceVersion":"1020"}""", table["metadata"]!.ToJsonString());

        var name = table["columnDefinitions"]![0]!.AsObject();
        Assert.Equal("Name", name["name"]!.GetValue<string>());
        Assert.Equal("string", name["type"]!.GetValue<string>());
        Assert.Equal("name", name["format"]!.GetValue<string>());
        Assert.Equal(0, name["priority"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(name["description"]!.GetValue<string>()));

        var row = table["rows"]![0]!.AsObject();
        Assert.Equal("toolbox|1/1|Running|0|10m|10.244.0.11|node1|<none>|<none>",
            string.Join("|", row["cells"]!.AsArray().Select(Print.Text)));
    }

    [Fact]
    public void BuildTable_RowObject_PartialObjectMetadataWithFullMetadata()
    {
        var pod = JsonNode.Parse(PodJson)!.AsObject();
        var table = Build(Print.Kind("", "Pod"), [pod], "1020", null, false);
        var obj = table["rows"]![0]!["object"]!.AsObject();

        Assert.Equal("PartialObjectMetadata", obj["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", obj["apiVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(pod["metadata"], obj["metadata"]));
        Assert.Null(obj["spec"]);
        // The row must not share nodes with the stored object.
        Assert.NotSame(pod["metadata"], obj["metadata"]);
    }

    [Fact]
    public void BuildTable_IncludeFullObject_WholeObjectWithTypeMeta()
    {
        var pod = JsonNode.Parse(PodJson)!.AsObject();
        pod.Remove("apiVersion");
        pod.Remove("kind");
        var table = Build(Print.Kind("", "Pod"), [pod], "1", null, true);
        var obj = table["rows"]![0]!["object"]!.AsObject();

        Assert.Equal("Pod", obj["kind"]!.GetValue<string>());
        Assert.Equal("v1", obj["apiVersion"]!.GetValue<string>());
        Assert.Equal("node1", obj["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Null(pod["kind"]);
    }

    [Fact]
    public void BuildTable_ContinueToken_InMetadata()
    {
        var table = Build(Print.Kind("", "ConfigMap"), [], "7", "abc", false);
        Assert.Equal("""{"resourceVersion":"7","continue":"abc"}""", table["metadata"]!.ToJsonString());
        Assert.Empty(table["rows"]!.AsArray());
        Assert.Equal(3, table["columnDefinitions"]!.AsArray().Count);
    }

    [Fact]
    public void BuildTable_NoResourceVersion_EmptyMetadata() =>
        Assert.Equal("{}", Build(Print.Kind("", "ConfigMap"), [], null, "", false)["metadata"]!.ToJsonString());

    [Fact]
    public void BuildTable_UnknownKind_NameAndCreatedAt()
    {
        var kind = new ResourceKind("example.com", "v1", "Widget", "widgets", "widget", true, [], [], []);
        var table = Build(kind, [JsonNode.Parse("""{"metadata":{"name":"w","creationTimestamp":"2026-11-20T10:00:00Z"}}""")!.AsObject()], "1", null, false);

        var created = table["columnDefinitions"]![1]!;
        Assert.Equal("Created At", created["name"]!.GetValue<string>());
        Assert.Equal("date", created["type"]!.GetValue<string>());
        Assert.Equal("w|2026-11-20T10:00:00Z", string.Join("|", table["rows"]![0]!["cells"]!.AsArray().Select(Print.Text)));
    }

    [Fact]
    public void BuildTable_EveryCatalogKind_CellPerColumnEvenForEmptyObjects()
    {
        var printer = Print.Printer();
        foreach (var kind in ResourceCatalog.Default.Kinds)
        {
            var table = printer.BuildTable(kind, [new JsonObject(), JsonNode.Parse("""{"metadata":{"name":"x"},"spec":null,"status":{}}""")!.AsObject()],
                "1", null, false);
            var columns = table["columnDefinitions"]!.AsArray().Count;
            foreach (var row in table["rows"]!.AsArray())
                Assert.True(columns == row!["cells"]!.AsArray().Count, $"{kind.Kind}: cells do not match columns");
        }
    }

    [Fact]
    public void BuildTable_EveryCatalogKind_WrongTypedFields_DoNotThrow()
    {
        var printer = Print.Printer();
        var odd = JsonNode.Parse("""
            {"metadata":{"name":"x","creationTimestamp":"not a time","ownerReferences":"x"},
             "spec":"x","status":[1,2],"subsets":[1,{"addresses":"x","ports":[2]}],"ports":[1],"endpoints":[{"addresses":3}],
             "data":"x","secrets":{},"involvedObject":"x","series":{"count":"x"},"regarding":[]}
            """)!.AsObject();
        foreach (var kind in ResourceCatalog.Default.Kinds)
            printer.BuildTable(kind, [odd], "1", null, false);
    }

    [Fact]
    public void BuildTable_EveryCatalogKind_HasDedicatedPrinter()
    {
        var printer = Print.Printer();
        foreach (var kind in ResourceCatalog.Default.Kinds.Where(k => k.Kind != "LimitRange"))
            Assert.NotEqual("Created At", printer.ColumnsFor(kind).Last().Name);
    }

    [Fact]
    public void AgeCells_UseInjectedClock()
    {
        var later = new TablePrinter(new FixedTimeProvider(Print.Now.AddHours(2)));
        var table = later.BuildTable(Print.Kind("", "Pod"), [JsonNode.Parse(PodJson)!.AsObject()], "1", null, false);
        Assert.Equal("130m", Print.Text(table["rows"]![0]!["cells"]![4]));
    }
}
