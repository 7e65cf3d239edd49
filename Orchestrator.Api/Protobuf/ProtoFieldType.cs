namespace Orchestrator.Api.Protobuf;

/// <summary>
/// How a field's protobuf bytes become JSON. Besides protobuf scalars this names the handful of Kubernetes types
/// whose JSON form differs from their protobuf message shape (Quantity, IntOrString, Time) and the three map shapes
/// Kubernetes uses, so the schema tables stay pure data.
/// </summary>
public enum ProtoFieldType
{
    /// <summary>string → JSON string.</summary>
    Str,
    /// <summary>bytes → base64 JSON string (Go's encoding of []byte).</summary>
    Bytes,
    /// <summary>varint → true/false.</summary>
    Bool,
    /// <summary>varint truncated to 32 bits, as Go's int32 cast does.</summary>
    I32,
    /// <summary>varint as a signed 64-bit number.</summary>
    I64,
    /// <summary>nested message described by <see cref="ProtoField.MessageName"/>.</summary>
    Msg,
    /// <summary>map&lt;string,string&gt; (entry key = 1, value = 2) → JSON object of strings.</summary>
    StrMap,
    /// <summary>map&lt;string,bytes&gt; → JSON object of base64 strings (Secret.data, ConfigMap.binaryData).</summary>
    BytesMap,
    /// <summary>map&lt;string,Quantity&gt; (ResourceList) → JSON object of quantity strings.</summary>
    QtyMap,
    /// <summary>resource.Quantity {string = 1} → JSON string.</summary>
    Qty,
    /// <summary>intstr.IntOrString {type = 1, intVal = 2, strVal = 3} → JSON number or string.</summary>
    IntOrStr,
    /// <summary>metav1.Time as a Timestamp {seconds = 1, nanos = 2} → RFC 3339 string at second precision.</summary>
    Time,
}
