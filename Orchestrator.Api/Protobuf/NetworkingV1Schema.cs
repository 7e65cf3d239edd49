using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/networking/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c>
/// (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field
/// numbers are frozen across releases, so these match kubectl 1.32. Ingress as sent by kubectl create ingress; status
/// is left out.
/// </summary>
public static class NetworkingV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("networking.Ingress",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "networking.IngressSpec"),
        ]),
        new("networking.IngressSpec",
        [
            new(1, "defaultBackend", Msg, Ptr, "networking.IngressBackend"),
            new(2, "tls", Msg, Rep, "networking.IngressTLS"),
            new(3, "rules", Msg, Rep, "networking.IngressRule"),
            new(4, "ingressClassName", Str, Ptr),
        ]),
        new("networking.IngressBackend",
        [
            new(3, "resource", Msg, Ptr, "v1.TypedLocalObjectReference"),
            new(4, "service", Msg, Ptr, "networking.IngressServiceBackend"),
        ]),
        new("networking.IngressServiceBackend",
        [
            new(1, "name", Str, Keep),
            new(2, "port", Msg, None, "networking.ServiceBackendPort"),
        ]),
        new("networking.ServiceBackendPort",
        [
            new(1, "name", Str, None),
            new(2, "number", I32, None),
        ]),
        new("networking.IngressTLS",
        [
            new(1, "hosts", Str, Rep),
            new(2, "secretName", Str, None),
        ]),
        new("networking.IngressRule",
        [
            new(1, "host", Str, None),
            new(2, "", Msg, Inline, "networking.IngressRuleValue"),
        ]),
        new("networking.IngressRuleValue",
        [
            new(1, "http", Msg, Ptr, "networking.HTTPIngressRuleValue"),
        ]),
        new("networking.HTTPIngressRuleValue",
        [
            new(1, "paths", Msg, Rep, "networking.HTTPIngressPath"),
        ]),
        new("networking.HTTPIngressPath",
        [
            new(1, "path", Str, None),
            new(2, "backend", Msg, None, "networking.IngressBackend"),
            new(3, "pathType", Str, Ptr),
        ]),
    ];
}
