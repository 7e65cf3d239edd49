using System.Text.Json.Nodes;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.OpenApi;
using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Tests.Api.FieldValidation;

/// <summary>How the detector reads schema shapes that the built-in tables use rarely or not at all.</summary>
public class SchemaShapeTests
{
    private const string P = "example.v1.";

    private static IReadOnlyList<string> Find(Action<SchemaRegistry> define, string json)
    {
        var r = new SchemaRegistry();
        MetaSchemaStub(r);
        define(r);
        return UnknownFieldDetector.FromRegistry(r).Find("example.com", "v1", "Thing", JsonNode.Parse(json)!.AsObject());
    }

    // The kind helper refers to ObjectMeta; a one-field stand-in keeps these tests independent of the real tables.
    private static void MetaSchemaStub(SchemaRegistry r) =>
        r.Add(Meta + "ObjectMeta", Obj("metadata", Str("name", "name")));

    private static void Thing(SchemaRegistry r, params Field[] fields) =>
        r.Kind(P + "Thing", "example.com", "v1", "Thing", "a thing", fields);

    [Fact]
    public void A_recursive_schema_is_followed_through_its_cycle()
    {
        var found = Find(r =>
        {
            Thing(r, Ref("tree", P + "Node", "root"));
            r.Add(P + "Node", Obj("node", Str("value", "v"), List("children", P + "Node", "kids")));
        }, """{"tree":{"value":"a","children":[{"value":"b","children":[{"valu":"c"}]}]}}""");
        Assert.Equal(["tree.children[0].children[0].valu"], found);
    }

    [Fact]
    public void Type_object_next_to_allOf_does_not_open_the_field()
    {
        var found = Find(r =>
        {
            var field = new JsonObject { ["type"] = "object", ["allOf"] = new JsonArray(RefNode(P + "Spec")) };
            Thing(r, new Field("spec", field));
            r.Add(P + "Spec", Obj("spec", Str("a", "a")));
        }, """{"spec":{"a":"x","b":"y"}}""");
        Assert.Equal(["spec.b"], found);
    }

    [Fact]
    public void AllOf_parts_pool_their_properties()
    {
        var found = Find(r =>
        {
            var field = new JsonObject { ["allOf"] = new JsonArray(RefNode(P + "A"), RefNode(P + "B")) };
            Thing(r, new Field("spec", field));
            r.Add(P + "A", Obj("a", Str("a", "a")));
            r.Add(P + "B", Obj("b", Str("b", "b")));
        }, """{"spec":{"a":"x","b":"y","c":"z"}}""");
        Assert.Equal(["spec.c"], found);
    }

    [Fact]
    public void Open_shapes_accept_anything()
    {
        var found = Find(r => Thing(r,
            new Field("anyMap", new JsonObject { ["type"] = "object", ["additionalProperties"] = true }),
            new Field("mixed", new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["x"] = new JsonObject { ["type"] = "string" } },
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            }),
            new Field("bare", new JsonObject { ["type"] = "object" }),
            new Field("list", new JsonObject { ["type"] = "array" }),
            new Field("dangling", new JsonObject { ["allOf"] = new JsonArray(RefNode(P + "Missing")) }),
            AnyObj("free", "free")),
            """{"anyMap":{"a":{"b":1}},"mixed":{"y":"1"},"bare":{"q":1},"list":[{"z":1}],"dangling":{"w":1},"free":{"v":{"u":1}}}""");
        Assert.Empty(found);
    }

    [Fact]
    public void Map_values_of_an_object_type_are_checked_with_the_key_in_the_path()
    {
        var found = Find(r =>
        {
            Thing(r, RefMap("ports", P + "Port", "by name"));
            r.Add(P + "Port", Obj("port", Int("number", "n")));
        }, """{"ports":{"http":{"number":80},"dns":{"numbr":53}}}""");
        Assert.Equal(["ports.dns.numbr"], found);
    }

    [Fact]
    public void Lists_of_lists_carry_both_indexes()
    {
        var found = Find(r =>
        {
            var inner = new JsonObject { ["type"] = "array", ["items"] = RefNode(P + "Cell") };
            Thing(r, new Field("grid", new JsonObject { ["type"] = "array", ["items"] = inner }));
            r.Add(P + "Cell", Obj("cell", Str("v", "v")));
        }, """{"grid":[[{"v":"a"}],[{"v":"b"},{"w":"c"}]]}""");
        Assert.Equal(["grid[1][1].w"], found);
    }
}
