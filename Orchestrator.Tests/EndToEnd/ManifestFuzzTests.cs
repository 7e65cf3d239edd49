using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Throws thousands of mutated manifests (bit flips, truncation, type swaps, random values at random paths) at every
/// write verb. Whatever the input, the server must answer with a Status below 500 and stay up.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ManifestFuzzTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly string[] Seeds =
    [
        """{"apiVersion":"v1","kind":"Service","metadata":{"name":"f"},"spec":{"type":"NodePort","selector":{"app":"a"},"sessionAffinity":"ClientIP","ports":[{"name":"http","port":80,"targetPort":"web","nodePort":30080},{"name":"dns","port":53,"protocol":"UDP"}]}}""",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"f","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"busybox","ports":[{"containerPort":80,"name":"web"}],"livenessProbe":{"httpGet":{"path":"/","port":80}},"env":[{"name":"A","value":"1"}]}]}}""",
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"f"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"f"}},"template":{"metadata":{"labels":{"app":"f"}},"spec":{"containers":[{"name":"c","image":"x:1"}]}}}}""",
        """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"f"},"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"x"}]}}}}}}""",
        """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"f"},"subsets":[{"addresses":[{"ip":"192.0.2.1"}],"ports":[{"port":80}]}]}""",
    ];

    private static readonly JsonNode?[] Values =
        [null, 0, -1, 65536, 2147483648L, 1.5, true, "", "x", "Bad_Name", new string('a', 300), "10.0.0.1", new JsonArray(), new JsonObject(), new JsonArray(1, "a"), "$patch", "30007"];

    [Fact]
    public async Task MutatedManifests_NeverGet5xx()
    {
        using var c = cluster.Server.CreateHttpClient();
        var random = new Random(20261122);
        var failures = new List<string>();
        const int iterations = 2500;
        for (var i = 0; i < iterations; i++)
        {
            var seed = Seeds[random.Next(Seeds.Length)];
            var kind = JsonNode.Parse(seed)!["kind"]!.GetValue<string>();
            var collection = kind switch
            {
                "Service" => "/api/v1/namespaces/default/services",
                "Pod" => "/api/v1/namespaces/default/pods",
                "Deployment" => "/apis/apps/v1/namespaces/default/deployments",
                "CronJob" => "/apis/batch/v1/namespaces/default/cronjobs",
                _ => "/api/v1/namespaces/default/endpoints",
            };
            var body = Mutate(seed, random, out var mediaType);
            HttpResponseMessage r;
            var verb = random.Next(4);
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            r = verb switch
            {
                0 => await c.PostAsync(collection, content),
                1 => await c.PutAsync(collection + "/f", content),
                2 => await c.PatchAsync(collection + "/f", WithType(content, "application/strategic-merge-patch+json")),
                _ => await c.PatchAsync(collection + "/f?fieldManager=fuzz", WithType(content, "application/apply-patch+yaml")),
            };
            if ((int)r.StatusCode >= 500)
                failures.Add($"{(int)r.StatusCode} {verb} {body[..Math.Min(body.Length, 300)]}: {await r.Content.ReadAsStringAsync()}");
            if (random.Next(10) == 0) await c.DeleteAsync(collection + "/f");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/readyz")).StatusCode);
    }

    private static StringContent WithType(StringContent content, string type)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return content;
    }

    private static string Mutate(string seed, Random random, out string mediaType)
    {
        mediaType = "application/json";
        switch (random.Next(5))
        {
            case 0:
            {
                // Byte-level damage.
                var chars = seed.ToCharArray();
                for (var n = random.Next(1, 4); n > 0; n--) chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                return new string(chars);
            }
            case 1:
                return seed[..random.Next(seed.Length)];
            case 2:
                mediaType = "application/yaml";
                return random.Next(2) == 0 ? seed.Replace(",", "\n") : "a: [b\n  - : c: d";
            default:
            {
                var node = JsonNode.Parse(seed)!;
                for (var n = random.Next(1, 4); n > 0; n--) SetRandom(node, random);
                return node.ToJsonString();
            }
        }
    }

    /// <summary>Replaces a random value somewhere in the tree with a value of a random type.</summary>
    private static void SetRandom(JsonNode root, Random random)
    {
        var node = root;
        for (var depth = 0; depth < 8; depth++)
        {
            switch (node)
            {
                case JsonObject o when o.Count > 0:
                {
                    var key = o.ElementAt(random.Next(o.Count)).Key;
                    if (o[key] is JsonObject or JsonArray && random.Next(3) > 0) { node = o[key]!; continue; }
                    o[key] = Values[random.Next(Values.Length)]?.DeepClone();
                    return;
                }
                case JsonArray a when a.Count > 0:
                {
                    var idx = random.Next(a.Count);
                    if (a[idx] is JsonObject or JsonArray && random.Next(3) > 0) { node = a[idx]!; continue; }
                    a[idx] = Values[random.Next(Values.Length)]?.DeepClone();
                    return;
                }
                default:
                    return;
            }
        }
    }
}
