using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Simulator;

/// <summary>
/// The little of a kubeconfig the simulator needs: the current context's cluster server and CA
/// (certificate-authority-data, or a certificate-authority file) and its user's bearer token.
/// </summary>
public sealed record Kubeconfig(Uri Server, string CaPem, string Token)
{
    public static Kubeconfig Load(string path) => Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");

    public static Kubeconfig Parse(string yaml, string baseDir = ".")
    {
        var doc = YamlJson.ParseOne(yaml) as JsonObject ?? throw new FormatException("kubeconfig is not a YAML mapping");
        var currentName = doc.Str("current-context");
        var contexts = (doc["contexts"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var context = (contexts.FirstOrDefault(c => c.Str("name") == currentName) ?? contexts.FirstOrDefault())?["context"];
        var cluster = Named(doc, "clusters", context.Str("cluster"))?["cluster"] ?? throw new FormatException("kubeconfig has no cluster");
        var user = Named(doc, "users", context.Str("user"))?["user"] ?? throw new FormatException("kubeconfig has no user");

        var server = cluster.Str("server") ?? throw new FormatException("kubeconfig cluster has no server");
        string ca;
        if (cluster.Str("certificate-authority-data") is { Length: > 0 } data) ca = Encoding.UTF8.GetString(Convert.FromBase64String(data));
        else if (cluster.Str("certificate-authority") is { Length: > 0 } file) ca = File.ReadAllText(Path.Combine(baseDir, file));
        else throw new FormatException("kubeconfig cluster has no certificate-authority(-data)");
        var token = user.Str("token") ?? throw new FormatException("kubeconfig user has no token");
        return new Kubeconfig(new Uri(server), ca, token);
    }

    private static JsonObject? Named(JsonObject doc, string list, string? name)
    {
        var items = (doc[list] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        return items.FirstOrDefault(i => i.Str("name") == name) ?? items.FirstOrDefault();
    }
}
