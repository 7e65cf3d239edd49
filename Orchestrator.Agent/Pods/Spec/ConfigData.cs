using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The key/value contents of a ConfigMap or Secret as bytes. ConfigMap <c>data</c> is text and <c>binaryData</c>
/// base64; Secret <c>data</c> is base64. A Secret's <c>stringData</c> is normally merged into <c>data</c> by the API
/// server on write; it is honoured here too (over <c>data</c>, as the merge would), so a Secret stored before that
/// merge still works.
/// </summary>
public static class ConfigData
{
    /// <summary>
    /// The ConfigMap's keys; <paramref name="withBinaryData"/> for volumes only, since the kubelet builds
    /// environment variables from <c>data</c> alone.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> OfConfigMap(JsonObject configMap, bool withBinaryData)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (k, v) in KubeObject.StringMap(configMap["data"]))
            result[k] = Encoding.UTF8.GetBytes(v);
        if (withBinaryData)
            foreach (var (k, v) in KubeObject.StringMap(configMap["binaryData"]))
                result[k] = DecodeBase64(v);
        return result;
    }

    public static IReadOnlyDictionary<string, byte[]> OfSecret(JsonObject secret)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (k, v) in KubeObject.StringMap(secret["data"]))
            result[k] = DecodeBase64(v);
        foreach (var (k, v) in KubeObject.StringMap(secret["stringData"]))
            result[k] = Encoding.UTF8.GetBytes(v);
        return result;
    }

    /// <summary>The value as an environment variable: UTF-8 text (the kubelet does <c>string(bytes)</c>).</summary>
    public static string AsText(byte[] value) => Encoding.UTF8.GetString(value);

    private static byte[] DecodeBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            // The API server validates base64 on write; an undecodable value can only come from a bypassed store.
            // Use the text as it is rather than failing the whole pod.
            return Encoding.UTF8.GetBytes(value);
        }
    }
}
