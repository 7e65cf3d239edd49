using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Entry point for request bodies sent as <c>application/vnd.kubernetes.protobuf</c>. kubectl's typed-client
/// commands (create namespace/configmap/secret/service/deployment/job/cronjob/quota/serviceaccount, drain) only
/// send protobuf, so the REST layer decodes them to the same JSON it would have received and carries on; responses
/// stay JSON, which kubectl accepts.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>True for <c>application/vnd.kubernetes.protobuf</c>, with or without parameters, in any case.</summary>
    public static bool IsProtobuf(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType)) return false;
        var semicolon = mediaType.IndexOf(';');
        var essence = (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
        return essence.Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes with the built-in schema tables; see <see cref="Decode(ReadOnlySpan{byte}, SchemaCatalog)"/>.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body) => Decode(body, SchemaCatalog.Default);

    /// <summary>
    /// Decodes a Kubernetes protobuf body into the object's JSON form, with <c>kind</c> and <c>apiVersion</c> taken
    /// from the envelope.
    /// </summary>
    /// <exception cref="ApiException">400 for malformed bytes; 415 for a kind or content encoding this server
    /// cannot decode (the client can resend as JSON).</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body, SchemaCatalog catalog)
    {
        try
        {
            var envelope = KubernetesEnvelope.Parse(body);
            if (envelope.ContentEncoding.Length > 0)
                throw ApiException.UnsupportedMediaType(
                    $"protobuf content encoding \"{envelope.ContentEncoding}\" is not supported; send application/json");
            if (!catalog.TryGetKind(envelope.ApiVersion, envelope.Kind, out var schema))
                throw ApiException.UnsupportedMediaType(
                    $"{envelope.Kind} in {(envelope.ApiVersion.Length == 0 ? "the core group" : envelope.ApiVersion)} is not supported in protobuf; send application/json");

            // kind and apiVersion first, as Kubernetes prints them; protobuf objects never carry their own TypeMeta.
            var result = new JsonObject { ["kind"] = envelope.Kind, ["apiVersion"] = envelope.ApiVersion };
            new SchemaDecoder(catalog).DecodeInto(result, envelope.Raw, schema);
            return result;
        }
        catch (ProtobufFormatException e)
        {
            throw ApiException.BadRequest($"unable to decode protobuf request body: {e.Message}");
        }
    }
}
