using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// The grpc probe: one <c>grpc.health.v1.Health/Check</c> call over cleartext HTTP/2 (h2c, no TLS: the kubelet does
/// not support credentials either) to the pod IP and the probe's port, with the probe's <c>service</c>. Passes when the
/// answer is <c>SERVING</c>. No gRPC library is served here, and the call is small enough to frame by hand:
/// <list type="bullet">
/// <item>request: a 5-byte gRPC message prefix (no compression, length) and the protobuf
/// <c>HealthCheckRequest { string service = 1; }</c>;</item>
/// <item>answer: <c>grpc-status</c> in the trailers (or in the headers of a trailers-only answer) and one message
/// <c>HealthCheckResponse { ServingStatus status = 1; }</c>.</item>
/// </list>
/// Messages are the kubelet's.
/// </summary>
public sealed class GrpcHealthAction : IDisposable
{
    private const string CheckPath = "/grpc.health.v1.Health/Check";
    private static readonly string[] ServingStatusNames = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
    private static readonly string[] StatusCodeNames =
    [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
        "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
        "Internal", "Unavailable", "DataLoss", "Unauthenticated",
    ];
    private const int Unimplemented = 12;

    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    public GrpcHealthAction(TimeProvider time)
    {
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            // Pods come and go; do not keep connections to their old IPs around.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<ProbeResult> CheckAsync(ContainerProbeTarget target, JsonObject grpc, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(target.PodIp))
            throw new HandlerSpecException("the pod has no IP yet");
        var port = grpc.Long("port") is long p and > 0 and < 65536 ? (int)p : throw new HandlerSpecException("invalid grpc port");
        var service = grpc.Str("service") ?? "";
        var address = GoNetErrorText.JoinHostPort(target.PodIp, port);
        var seconds = $"{timeout.TotalSeconds:0.###}s";

        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var connected = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{address}{CheckPath}"))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(Frame(EncodeRequest(service))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            request.Headers.TryAddWithoutValidation("te", "trailers");
            request.Headers.TryAddWithoutValidation("user-agent", HttpGetAction.UserAgent);
            request.Headers.TryAddWithoutValidation("grpc-timeout", $"{Math.Max(1, (long)timeout.TotalMilliseconds)}m");

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            connected = true;
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var (code, message) = Status(response);
            if (response.StatusCode != HttpStatusCode.OK && code is null)
                return ProbeResult.Failure($"error: health rpc probe failed: rpc error: code = Unknown desc = unexpected HTTP status code received from server: {(int)response.StatusCode}");
            if (code is int c and not 0)
            {
                if (c == Unimplemented)
                    return ProbeResult.Failure($"this server doesn't implement the grpc health protocol (grpc.health.v1.Health): {message}");
                var name = c < StatusCodeNames.Length ? StatusCodeNames[c] : $"Code({c})";
                return ProbeResult.Failure($"error: health rpc probe failed: rpc error: code = {name} desc = {message}");
            }
            var status = DecodeStatus(body);
            if (status != 1)
            {
                var name = status is >= 0 and < 4 ? ServingStatusNames[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ProbeResult.Failure($"service unhealthy (responded with \"{name}\")");
            }
            return ProbeResult.Success("service healthy");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            return ProbeResult.Failure(connected
                ? $"timeout: health rpc did not complete within {seconds}"
                : $"timeout: failed to connect service \"{address}\" within {seconds}: context deadline exceeded");
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = e.InnerException is SocketException ? GoNetErrorText.Dial(address, e) : e.Message;
            return ProbeResult.Failure($"error: failed to connect service at \"{address}\": {detail}");
        }
        catch (InvalidDataException e)
        {
            return ProbeResult.Failure($"error: health rpc probe failed: {e.Message}");
        }
    }

    /// <summary><c>grpc-status</c> and <c>grpc-message</c> from the trailers, or the headers of a trailers-only answer.</summary>
    private static (int? Code, string Message) Status(HttpResponseMessage response)
    {
        foreach (var headers in new HttpHeaders[] { response.TrailingHeaders, response.Headers })
        {
            if (headers.TryGetValues("grpc-status", out var codes) &&
                int.TryParse(codes.FirstOrDefault(), out var code))
            {
                var message = headers.TryGetValues("grpc-message", out var messages)
                    ? Uri.UnescapeDataString(messages.FirstOrDefault() ?? "")
                    : "";
                return (code, message);
            }
        }
        return (null, "");
    }

    /// <summary>Protobuf of <c>HealthCheckRequest</c>: field 1 (service), length-delimited, omitted when empty.</summary>
    private static byte[] EncodeRequest(string service)
    {
        if (service.Length == 0)
            return [];
        var bytes = System.Text.Encoding.UTF8.GetBytes(service);
        using var buffer = new MemoryStream();
        buffer.WriteByte(0x0A);
        WriteVarint(buffer, (ulong)bytes.Length);
        buffer.Write(bytes);
        return buffer.ToArray();
    }

    private static byte[] Frame(byte[] message)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>The <c>status</c> (field 1, varint) of the first message of the answer; 0 (UNKNOWN) when absent.</summary>
    private static int DecodeStatus(byte[] body)
    {
        if (body.Length < 5)
            throw new InvalidDataException("the answer holds no message");
        if (body[0] != 0)
            throw new InvalidDataException("the answer is compressed");
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        if (length > body.Length - 5)
            throw new InvalidDataException("the answer's message is cut short");
        var message = body.AsSpan(5, length);
        var status = 0;
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = tag >> 3;
            switch (tag & 7)
            {
                case 0:
                    var value = ReadVarint(message, ref position);
                    if (field == 1)
                        status = (int)value;
                    break;
                case 2:
                    position += (int)ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unexpected protobuf wire type {tag & 7}");
            }
        }
        return status;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                throw new InvalidDataException("truncated protobuf varint");
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException("protobuf varint too long");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    public void Dispose() => _http.Dispose();
}
