using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/authentication/v1, transcribed from its <c>generated.proto</c> (numbers) and
/// <c>types.go</c> (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery
/// eed236ce; field numbers are frozen across releases, so these match kubectl 1.32. TokenRequest as sent by kubectl
/// create token; status and the post-1.32 alpha spec.attestations are left out. The proto name of BoundObjectReference
/// field 4 is uID but its json name is uid.
/// </summary>
public static class AuthenticationV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("authentication.TokenRequest",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "authentication.TokenRequestSpec"),
        ]),
        new("authentication.TokenRequestSpec",
        [
            new(1, "audiences", Str, Rep),
            new(3, "boundObjectRef", Msg, Ptr, "authentication.BoundObjectReference"),
            new(4, "expirationSeconds", I64, Ptr),
        ]),
        new("authentication.BoundObjectReference",
        [
            new(1, "kind", Str, None),
            new(2, "apiVersion", Str, None),
            new(3, "name", Str, None),
            new(4, "uid", Str, None),
        ]),
    ];
}
