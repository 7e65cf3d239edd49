using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// The HTTP/1.1 response of a health-check node port, shaped like kube-proxy's: 200 when the node has a local
/// endpoint, else 503, both with <c>{"service":{"namespace":…,"name":…},"localEndpoints":N,"serviceProxyHealthy":true}</c>
/// (the proxy itself is healthy whenever it answers). Every response closes the connection: load balancers probe
/// seldom, so keeping connections open would only hold memory.
/// </summary>
public static class HealthCheckResponse
{
    public static byte[] Build(HealthCheckStatus status, bool includeBody)
    {
        var body = Body(status);
        var head = new StringBuilder()
            .Append(status.Healthy ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 503 Service Unavailable\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n\r\n")
            .ToString();
        var headBytes = Encoding.ASCII.GetBytes(head);
        return includeBody ? [.. headBytes, .. body] : headBytes;
    }

    public static byte[] BadRequest() =>
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    public static byte[] Body(HealthCheckStatus status)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("service");
            json.WriteString("namespace", status.Namespace);
            json.WriteString("name", status.Name);
            json.WriteEndObject();
            json.WriteNumber("localEndpoints", status.LocalEndpoints);
            json.WriteBoolean("serviceProxyHealthy", true);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
