using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// Resolves names outside the cluster zone through the host's real resolvers (<see cref="ResolvConf"/>, or
/// <see cref="ClusterDnsOptions.Upstreams"/>):
/// <list type="number">
/// <item>a cached answer still within its TTL is returned with its TTLs aged;</item>
/// <item>else a fresh query (random id, the client's question, RD, CD and DO, our EDNS size, no client options) goes
///   over UDP to one server at a time with a timeout, the next server on silence, SERVFAIL or REFUSED; a truncated UDP
///   answer is asked again over TCP on the same server;</item>
/// <item>NOERROR and NXDOMAIN answers are cached for their smallest TTL (negative ones for the SOA minimum,
///   RFC 2308), capped; the cache is bounded;</item>
/// <item>SERVFAIL when no server answers.</item>
/// </list>
/// Never forwards to the cluster DNS IP or to the responder's own endpoint (<see cref="SetLocalAddresses"/>): a
/// resolv.conf pointing back at us would loop.
/// </summary>
public sealed class UpstreamResolver
{
    private static readonly TimeSpan ResolvConfCheckInterval = TimeSpan.FromSeconds(5);

    private readonly ClusterDnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UpstreamResolver> _log;
    private readonly ConcurrentDictionary<UpstreamCacheKey, UpstreamCacheEntry> _cache = new();
    private readonly object _gate = new();
    private List<IPEndPoint> _configured = [];
    private IPEndPoint[] _servers = [];
    private DateTime _resolvConfStamp = DateTime.MinValue;
    private long _nextResolvConfCheck;
    private IPAddress? _clusterDns;
    private IPEndPoint? _listen;

    public UpstreamResolver(IOptions<ClusterDnsOptions> options, TimeProvider time, ILogger<UpstreamResolver> log)
    {
        _options = options.Value;
        _time = time;
        _log = log;
        if (_options.Upstreams.Count > 0)
        {
            foreach (var s in _options.Upstreams)
            {
                if (ResolvConf.TryParseServer(s, out var ep)) _configured.Add(ep);
                else _log.LogWarning("ClusterDns: ignoring upstream '{Upstream}': not an address", s);
            }
        }
        else
        {
            RefreshResolvConf(force: true);
        }

        Rebuild();
    }

    /// <summary>The servers queries go to, in order.</summary>
    public IReadOnlyList<IPEndPoint> Servers
    {
        get
        {
            if (_options.Upstreams.Count == 0) RefreshResolvConf(force: false);
            return Volatile.Read(ref _servers);
        }
    }

    public int CachedAnswers => _cache.Count;

    /// <summary>Our own addresses, never used as upstreams: the cluster DNS IP (any port) and the listen endpoint.</summary>
    public void SetLocalAddresses(IPAddress? clusterDns, IPEndPoint? listen)
    {
        lock (_gate)
        {
            _clusterDns = clusterDns;
            _listen = listen;
            Rebuild();
        }
    }

    public async Task<DnsMessage> ResolveAsync(DnsMessage query, CancellationToken ct)
    {
        var question = query.Questions[0];
        var key = new UpstreamCacheKey(question.Name.ToCanonical(), question.Type, question.Class,
            query.Edns?.DnssecOk == true, query.CheckingDisabled);
        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(key, out var hit))
        {
            var age = (uint)_time.GetElapsedTime(hit.StoredAt, now).TotalSeconds;
            if (age < hit.Ttl) return Adapt(hit.Response, query, age);
            _cache.TryRemove(KeyValuePair.Create(key, hit));
        }

        var servers = Servers;
        if (servers.Count == 0)
        {
            _log.LogDebug("ClusterDns: no upstream server for {Name}", question.Name);
            return ServerFailure(query);
        }

        var upstreamQuery = new DnsMessage
        {
            Id = (ushort)Random.Shared.Next(0, 65536),
            RecursionDesired = query.RecursionDesired,
            CheckingDisabled = query.CheckingDisabled,
            Questions = [question],
            Edns = new DnsEdns { UdpPayloadSize = DnsMessageWriter.DefaultEdnsUdpSize, DnssecOk = query.Edns?.DnssecOk == true },
        };
        var wire = DnsMessageWriter.Write(upstreamQuery);
        DnsMessage? fallback = null;
        var attempts = Math.Max(1, _options.UpstreamAttempts);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var server = servers[attempt % servers.Count];
            var answer = await QueryUdpAsync(server, upstreamQuery, wire, ct);
            if (answer is { IsTruncated: true }) answer = await QueryTcpAsync(server, upstreamQuery, wire, ct) ?? answer;
            if (answer == null) continue;
            if (answer.ResponseCode is DnsResponseCode.ServFail or DnsResponseCode.Refused or DnsResponseCode.NotImp)
            {
                fallback = answer;
                continue;
            }

            Store(key, answer);
            return Adapt(answer, query, 0);
        }

        return fallback != null ? Adapt(fallback, query, 0) : ServerFailure(query);
    }

    private async Task<DnsMessage?> QueryUdpAsync(IPEndPoint server, DnsMessage upstreamQuery, byte[] wire, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.UpstreamTimeoutMilliseconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await socket.ConnectAsync(server, linked.Token);
            await socket.SendAsync(wire, SocketFlags.None, linked.Token);
            var buffer = new byte[DnsMessageWriter.MaxMessageSize];
            while (true)
            {
                // A connected socket only sees this server's datagrams; the id and question still have to match.
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                if (Matches(buffer.AsSpan(0, n), upstreamQuery) is { } answer) return answer;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _log.LogDebug("ClusterDns: upstream {Server} did not answer in time", server);
            return null;
        }
        catch (SocketException e)
        {
            _log.LogDebug("ClusterDns: upstream {Server} over UDP: {Error}", server, e.SocketErrorCode);
            return null;
        }
    }

    private async Task<DnsMessage?> QueryTcpAsync(IPEndPoint server, DnsMessage upstreamQuery, byte[] wire, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.UpstreamTimeoutMilliseconds * 2L), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server, linked.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await DnsTcpFraming.WriteFrameAsync(stream, wire, linked.Token);
            while (await DnsTcpFraming.ReadFrameAsync(stream, linked.Token) is { } frame)
                if (Matches(frame, upstreamQuery) is { } answer) return answer;
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            _log.LogDebug("ClusterDns: upstream {Server} over TCP: {Error}", server, e.Message);
            return null;
        }
    }

    private static DnsMessage? Matches(ReadOnlySpan<byte> bytes, DnsMessage query)
    {
        if (!DnsMessageReader.TryRead(bytes, out var answer, out _, out _)) return null;
        if (!answer!.IsResponse || answer.Id != query.Id || answer.Questions.Count != 1) return null;
        var q = answer.Questions[0];
        return q.Name == query.Questions[0].Name && q.Type == query.Questions[0].Type ? answer : null;
    }

    private void Store(UpstreamCacheKey key, DnsMessage answer)
    {
        if (answer.IsTruncated || answer.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NXDomain)) return;
        uint ttl;
        if (answer.Answers.Count > 0)
        {
            ttl = answer.Answers.Concat(answer.Authorities).Min(r => r.Ttl);
        }
        else
        {
            // Negative answer: cacheable only with an SOA, for min(SOA TTL, SOA minimum) (RFC 2308 §5).
            var soa = answer.Authorities.FirstOrDefault(r => r.Data is SoaRecordData);
            if (soa == null) return;
            ttl = Math.Min(soa.Ttl, ((SoaRecordData)soa.Data).Minimum);
        }

        ttl = Math.Min(ttl, (uint)Math.Max(0, _options.UpstreamCacheMaxTtlSeconds));
        if (ttl == 0) return;
        var capacity = Math.Max(1, _options.UpstreamCacheSize);
        if (_cache.Count >= capacity) Evict(capacity);
        _cache[key] = new UpstreamCacheEntry(answer, _time.GetTimestamp(), ttl);
    }

    /// <summary>Drops expired entries, then, if still full, an arbitrary quarter.</summary>
    private void Evict(int capacity)
    {
        var now = _time.GetTimestamp();
        foreach (var (k, v) in _cache)
            if (_time.GetElapsedTime(v.StoredAt, now).TotalSeconds >= v.Ttl) _cache.TryRemove(k, out _);
        if (_cache.Count < capacity) return;
        foreach (var k in _cache.Keys.Take(Math.Max(1, capacity / 4)).ToList()) _cache.TryRemove(k, out _);
    }

    /// <summary>An upstream (or cached) answer re-addressed to the client: its id, question spelling, flags and EDNS.</summary>
    private static DnsMessage Adapt(DnsMessage upstream, DnsMessage query, uint age)
    {
        var response = DnsMessage.CreateResponse(query);
        response.RecursionAvailable = true;
        response.AuthenticData = upstream.AuthenticData;
        response.ResponseCode = upstream.ResponseCode;
        if ((int)response.ResponseCode > 15 && response.Edns == null) response.ResponseCode = DnsResponseCode.ServFail;
        response.Answers = Aged(upstream.Answers, age);
        response.Authorities = Aged(upstream.Authorities, age);
        response.Additionals = Aged(upstream.Additionals, age);
        return response;

        static List<DnsResourceRecord> Aged(List<DnsResourceRecord> records, uint age) =>
            records.Select(r => age == 0 ? r : r with { Ttl = r.Ttl > age ? r.Ttl - age : 0 }).ToList();
    }

    private static DnsMessage ServerFailure(DnsMessage query)
    {
        var response = DnsMessage.CreateResponse(query);
        response.RecursionAvailable = true;
        response.ResponseCode = DnsResponseCode.ServFail;
        return response;
    }

    private void RefreshResolvConf(bool force)
    {
        var now = _time.GetTimestamp();
        if (!force && now < Volatile.Read(ref _nextResolvConfCheck)) return;
        lock (_gate)
        {
            if (!force && now < _nextResolvConfCheck) return;
            _nextResolvConfCheck = now + (long)(ResolvConfCheckInterval.TotalSeconds * _time.TimestampFrequency);
            var stamp = Stamp(_options.ResolvConfPath);
            if (!force && stamp == _resolvConfStamp) return;
            _resolvConfStamp = stamp;
            _configured = ResolvConf.Load(_options.ResolvConfPath, _options.SystemdResolvConfPath);
            Rebuild();
            _log.LogInformation("ClusterDns: upstream servers {Servers}", string.Join(", ", (object[])_servers));
        }

        static DateTime Stamp(string path)
        {
            try
            {
                return File.GetLastWriteTimeUtc(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return DateTime.MinValue;
            }
        }
    }

    private void Rebuild()
    {
        lock (_gate)
        {
            var servers = _configured
                .Where(s => !(_clusterDns != null && s.Address.Equals(_clusterDns)) && !s.Equals(_listen))
                .ToArray();
            if (servers.Length < _configured.Count)
                _log.LogDebug("ClusterDns: not forwarding to our own address {Excluded}", _configured.Except(servers));
            Volatile.Write(ref _servers, servers);
        }
    }
}
