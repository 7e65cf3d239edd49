using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>A request as <see cref="ProbeTestHttpServer"/> received it.</summary>
public sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers);

/// <summary>What <see cref="ProbeTestHttpServer"/> answers; <see cref="Hang"/> accepts and never answers.</summary>
public sealed record ServerReply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static readonly ServerReply Hang = new(0);
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a TcpListener, one request per connection) that records every request and
/// answers with what <see cref="Respond"/> says, so probe tests see exactly what went over the wire.
/// </summary>
public sealed class ProbeTestHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly SemaphoreSlim _received = new(0);

    private readonly X509Certificate2? _certificate;

    /// <param name="certificate">Serve HTTPS with it (a self-signed one, say) instead of plain HTTP.</param>
    public ProbeTestHttpServer(Func<RecordedRequest, ServerReply>? respond = null, X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        Respond = respond ?? (_ => new ServerReply(200, "ok"));
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Decides each answer; may be swapped while the server runs.</summary>
    public volatile Func<RecordedRequest, ServerReply> Respond;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Waits (real time) until a request has arrived since the last call.</summary>
    public async Task<bool> WaitForRequestAsync(TimeSpan? within = null) =>
        await _received.WaitAsync(within ?? TimeSpan.FromSeconds(10));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }
                var head = await ReadHeadAsync(stream);
                if (head is null)
                    return;
                var lines = head.Split("\r\n");
                var first = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0)
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
                var request = new RecordedRequest(first[0], first.Length > 1 ? first[1] : "", headers);
                _requests.Enqueue(request);
                _received.Release();

                var reply = Respond(request);
                if (reply.Status == 0)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                var body = Encoding.UTF8.GetBytes(reply.Body);
                var response = new StringBuilder($"HTTP/1.1 {reply.Status} Status\r\n")
                    .Append($"Content-Length: {body.Length}\r\nConnection: close\r\n");
                foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>())
                    response.Append($"{k}: {v}\r\n");
                response.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()));
                await stream.WriteAsync(body);
            }
            catch (Exception)
            {
                // The client went away (a probe that timed out, a capped body read): nothing to record.
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            buffer.Add(one[0]);
            var n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, n - 4);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
