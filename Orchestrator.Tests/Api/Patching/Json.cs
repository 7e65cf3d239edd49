using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Api.Patching;

/// <summary>Short helpers for writing JSON documents in tests and comparing them structurally.</summary>
internal static class Json
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonNode? Node(string json) => JsonNode.Parse(json);

    public static void Equal(string expected, JsonNode? actual)
    {
        var e = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(e, actual),
            $"expected {e?.ToJsonString()}\n  actual {actual?.ToJsonString()}");
    }

    public static bool HasDirective(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.StartsWith('$') || HasDirective(p.Value)),
        JsonArray a => a.Any(HasDirective),
        _ => false,
    };

    public const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"},"uid":"u-1","resourceVersion":"7"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
           "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
           "template":{"metadata":{"labels":{"app":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":8080,"protocol":"TCP"}],
                                    "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}},
         "status":{"replicas":2}}
        """;
}
