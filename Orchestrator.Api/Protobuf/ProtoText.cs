using System.Text;

namespace Orchestrator.Api.Protobuf;

/// <summary>String decoding shared by the envelope and the schema decoder.</summary>
public static class ProtoText
{
    /// <summary>
    /// Decodes UTF-8 without throwing: invalid sequences become U+FFFD, which is what Go's JSON encoder emits for
    /// the same bytes (gogo proto2 strings are not validated on unmarshal).
    /// </summary>
    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
