using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Security;

/// <summary>
/// Per-node bearer tokens, handed to agents that prove they hold the cluster's join secret (from node-token).
/// Kept in <c>DIR/node-tokens.json</c> (mode 0600), so a node keeps its credential across server restarts; asking
/// again for the same node returns the same token, so an agent that lost its state can rejoin.
/// </summary>
public sealed class NodeCredentialStore
{
    private readonly string _path;
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, string> _nameByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokenByName = new(StringComparer.Ordinal);

    public NodeCredentialStore(string dataDir)
    {
        _path = Path.Combine(dataDir, "node-tokens.json");
        if (!File.Exists(_path)) return;
        if (JsonNode.Parse(File.ReadAllText(_path)) is not JsonObject doc) return;
        foreach (var (name, token) in doc)
        {
            if (token?.GetValue<string>() is not { } t) continue;
            _tokenByName[name] = t;
            _nameByToken[t] = name;
        }
    }

    /// <summary>The node a token belongs to, or null.</summary>
    public string? NodeFor(string token) => _nameByToken.GetValueOrDefault(token);

    public string Issue(string nodeName)
    {
        lock (_gate)
        {
            if (_tokenByName.TryGetValue(nodeName, out var existing)) return existing;
            var token = "node." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            _tokenByName[nodeName] = token;
            var doc = new JsonObject();
            foreach (var (name, t) in _tokenByName) doc[name] = t;
            ClusterCredentials.WriteAtomically(_path, doc.ToJsonString(), secret: true);
            _nameByToken[token] = nodeName;
            return token;
        }
    }
}
