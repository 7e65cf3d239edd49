namespace Orchestrator.Api.Protobuf;

/// <summary>
/// The four protobuf wire types Kubernetes' gogo-generated messages can contain (groups, 3 and 4, are never used
/// by Kubernetes and are rejected as malformed).
/// </summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
