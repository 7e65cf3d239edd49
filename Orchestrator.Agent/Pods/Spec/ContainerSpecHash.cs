using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A stable hash of a container's spec: SHA-256 over its canonical JSON (object keys sorted at every depth, no
/// whitespace), first 16 hex digits. Key order, formatting and a round trip through YAML do not change it; any
/// change of a value does, which tells the pod worker that the running container is outdated.
/// </summary>
public static class ContainerSpecHash
{
    public static string Of(JsonObject container) =>
        Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Utf8(container)))[..16];
}
