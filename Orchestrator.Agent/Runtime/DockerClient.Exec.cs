using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Agent.Runtime;

public sealed partial class DockerClient
{
    private const int MaxResponseHead = 64 * 1024;

    /// <summary><c>POST /containers/{id}/exec</c>: creates (does not start) an exec instance; returns its id.</summary>
    public async Task<string> CreateExecAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await PostJsonAsync($"containers/{Escape(containerId)}/exec", request, Json.ExecCreateRequest,
            Json.IdResponse, cancellationToken).ConfigureAwait(false);
        return created.Id ?? throw new DockerApiException(HttpStatusCode.InternalServerError, "exec create answered without an Id");
    }

    /// <summary>
    /// <c>POST /exec/{id}/start</c>, hijacked: the returned stream carries stdin to the process and its output back
    /// (multiplexed unless <paramref name="tty"/>, which must match the create request). Dispose it when done; read
    /// the exit code with <see cref="InspectExecAsync"/> after the output ends.
    /// </summary>
    public Task<HijackedStream> StartExecAsync(string execId, bool tty, CancellationToken cancellationToken) =>
        HijackAsync($"exec/{Escape(execId)}/start",
            JsonSerializer.SerializeToUtf8Bytes(new ExecStartRequest { Detach = false, Tty = tty }, Json.ExecStartRequest),
            multiplexed: !tty, cancellationToken);

    /// <summary><c>POST /exec/{id}/resize</c>.</summary>
    public Task ResizeExecAsync(string execId, int height, int width, CancellationToken cancellationToken) =>
        PostAsync($"exec/{Escape(execId)}/resize?h={height}&w={width}", null, cancellationToken);

    /// <summary><c>GET /exec/{id}/json</c>: running state and, once finished, the exit code.</summary>
    public Task<ExecInspect> InspectExecAsync(string execId, CancellationToken cancellationToken) =>
        GetJsonAsync($"exec/{Escape(execId)}/json", Json.ExecInspect, cancellationToken);

    /// <summary>
    /// <c>POST /containers/{id}/attach?stream=1…</c>, hijacked like exec: stdin in, output out (multiplexed unless the
    /// container has a Tty). <paramref name="logs"/> replays earlier output first. Stdin reaches the process only if the
    /// container was created with <c>OpenStdin</c>; with <c>StdinOnce</c> closing it ends the process's stdin.
    /// </summary>
    public Task<HijackedStream> AttachContainerAsync(string containerId, bool tty, bool stdin, bool logs,
        CancellationToken cancellationToken) =>
        HijackAsync($"containers/{Escape(containerId)}/attach?stream=1&stdin={Bool(stdin)}&stdout=1&stderr=1&logs={Bool(logs)}",
            null, multiplexed: !tty, cancellationToken);

    /// <summary>
    /// Speaks HTTP/1.1 by hand on a fresh socket so that we keep the <see cref="Socket"/> (for the half-close):
    /// <list type="number">
    /// <item>connect (retried only when refused, like every call);</item>
    /// <item>send the request with <c>Connection: Upgrade</c>, <c>Upgrade: tcp</c>;</item>
    /// <item>read the response head; 101 (or a 200 from daemons that hijack without upgrading) means the socket is
    /// now the raw duplex stream, and any bytes after the head already belong to it;</item>
    /// <item>any other status is a normal error response: read its body and throw.</item>
    /// </list>
    /// </summary>
    private async Task<HijackedStream> HijackAsync(string path, byte[]? jsonBody, bool multiplexed, CancellationToken cancellationToken)
    {
        var socket = await _connectRetry.ExecuteAsync(
            async ct => await Endpoint.ConnectAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        try
        {
            var head = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"POST /{ApiVersion}/{path} HTTP/1.1\r\n")
                .Append("Host: docker\r\n")
                .Append("Connection: Upgrade\r\n")
                .Append("Upgrade: tcp\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Length: {jsonBody?.Length ?? 0}\r\n")
                .Append("\r\n")
                .ToString();
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (jsonBody is { Length: > 0 })
                await socket.SendAsync(jsonBody, SocketFlags.None, cancellationToken).ConfigureAwait(false);

            var buffer = new byte[8192];
            var filled = 0;
            int headEnd;
            while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxResponseHead)
                        throw new IOException("Docker hijack: response head too large.");
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw new IOException($"Docker hijack: the daemon closed the connection before answering POST {path}.");
                filled += n;
            }

            var lines = Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
            var statusParts = lines[0].Split(' ', 3);
            if (statusParts.Length < 2 || !int.TryParse(statusParts[1], out var status))
                throw new IOException($"Docker hijack: malformed status line '{lines[0]}'.");
            var headers = lines.Skip(1)
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var rest = buffer.AsMemory(headEnd + 4, filled - headEnd - 4);

            if (status is 101 or 200)
                return new HijackedStream(socket, rest.ToArray(), multiplexed);

            var body = await ReadErrorBodyAsync(socket, rest, headers, cancellationToken).ConfigureAwait(false);
            throw new DockerApiException((HttpStatusCode)status,
                ParseErrorMessage(body, statusParts.Length > 2 ? statusParts[2] : null));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The body of an error answer to a hijack request: Content-Length, chunked, or until close.</summary>
    private static async Task<string> ReadErrorBodyAsync(Socket socket, ReadOnlyMemory<byte> already,
        Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var data = new List<byte>(already.ToArray());
        var chunked = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        int? length = headers.TryGetValue("Content-Length", out var cl) && int.TryParse(cl, out var l) ? l : null;
        var buffer = new byte[4096];
        while (true)
        {
            if (length is int want && data.Count >= want)
                break;
            if (chunked && data.ToArray().AsSpan().IndexOf("0\r\n\r\n"u8) >= 0)
                break;
            if (data.Count > MaxResponseHead)
                break;
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                break;
            data.AddRange(buffer.AsSpan(0, n));
        }
        var bytes = data.ToArray();
        if (length is int exact && bytes.Length > exact)
            bytes = bytes[..exact];
        return chunked ? Encoding.UTF8.GetString(Dechunk(bytes)) : Encoding.UTF8.GetString(bytes);
    }

    private static byte[] Dechunk(byte[] bytes)
    {
        var output = new List<byte>();
        var position = 0;
        while (position < bytes.Length)
        {
            var lineEnd = bytes.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
                break;
            var sizeText = Encoding.ASCII.GetString(bytes, position, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
                break;
            position += lineEnd + 2;
            var take = Math.Min(size, bytes.Length - position);
            output.AddRange(bytes.AsSpan(position, take));
            position += take + 2;
        }
        return output.ToArray();
    }
}
