using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// The cluster's authoritative data for one <see cref="ClusterServices"/> snapshot, following the Kubernetes DNS
/// specification and CoreDNS's <c>kubernetes</c> plugin (pure: snapshot + query → response). Grammar of the names
/// below the zone (labels read right to left, matched case-insensitively):
/// <code>
///   &lt;zone&gt;                                SOA, NS ns.dns.&lt;zone&gt;          (apex)
///   dns-version.&lt;zone&gt;                    TXT "1.1.0"
///   ns.dns.&lt;zone&gt;                         A  the cluster DNS IP
///   svc.&lt;zone&gt;, pod.&lt;zone&gt;, dns.&lt;zone&gt;  empty non-terminals (NODATA)
///   ns.svc.&lt;zone&gt;                         NODATA when the namespace exists, else NXDOMAIN
///   svc.ns.svc.&lt;zone&gt;                     A/AAAA clusterIP | headless: ready endpoint IPs (NXDOMAIN when none)
///                                       | ExternalName: CNAME (chased only when the target is in the zone)
///   ep.svc.ns.svc.&lt;zone&gt;                  headless only: A/AAAA of the endpoints named ep (hostname, else dashed IP)
///   _port._proto.svc.ns.svc.&lt;zone&gt;        SRV per named port (per endpoint when headless) + A/AAAA additionals
///   a-b-c-d.ns.pod.&lt;zone&gt;                 A a.b.c.d when the namespace exists (CoreDNS "pods insecure")
///   d.c.b.a.in-addr.arpa                PTR clusterIP → svc.ns.svc.&lt;zone&gt;; headless endpoint → ep.svc.ns.svc.&lt;zone&gt;;
///                                       other endpoint IPs → a-b-c-d.ns.pod.&lt;zone&gt;
/// </code>
/// Anything else in the zone is NXDOMAIN. A name that exists without records of the asked type is NODATA (NOERROR,
/// empty answer). Both negative answers carry the zone's SOA in the authority section, whose minimum (and TTL) is the
/// record TTL, as CoreDNS does. Reverse names are ours when the address is in the service or cluster CIDR or is one we
/// have a PTR for; other reverse names (and names outside the zone) are not served here (<see cref="Serves"/>).
/// </summary>
public sealed class ClusterDnsZone
{
    public const uint DefaultTtl = 5;

    /// <summary>The schema version of the Kubernetes DNS specification we follow.</summary>
    public const string SchemaVersion = "1.1.0";

    private const int MaxCnameChain = 8;

    private readonly ClusterServices _snapshot;
    private readonly uint _ttl;
    private readonly HashSet<string> _namespaces;
    private readonly Dictionary<IPAddress, List<DnsName>> _ptr = new();
    private readonly DnsName _nameServer;
    private readonly SoaRecordData _soaData;

    public ClusterDnsZone(ClusterServices snapshot, uint ttl = DefaultTtl)
    {
        _snapshot = snapshot;
        _ttl = ttl;
        // NetworkSettings trims the domain; one that is still not a DNS name falls back to the Kubernetes default.
        Origin = (DnsName.TryParse(snapshot.Settings.ClusterDomain, out var origin) && !origin.IsRoot ? origin : DnsName.Parse("cluster.local")).ToCanonical();
        _nameServer = DnsName.FromLabels(["ns", "dns", .. Origin.Labels]);
        // Serial: seconds of the snapshot's build time (CoreDNS uses the time of the last API change), so it grows.
        var serial = snapshot.BuiltAt == DateTimeOffset.MinValue ? (uint)snapshot.Version : (uint)snapshot.BuiltAt.ToUnixTimeSeconds();
        _soaData = new SoaRecordData(_nameServer, DnsName.FromLabels(["hostmaster", .. Origin.Labels]), serial, 7200, 1800, 86400, ttl);

        // A namespace is known when the Namespace object or any of its services is: informers may lag each other.
        _namespaces = new HashSet<string>(snapshot.Namespaces, StringComparer.Ordinal);
        foreach (var svc in snapshot.Services.Values)
        {
            _namespaces.Add(svc.Namespace);
            try
            {
                IndexReverse(svc);
            }
            catch (ArgumentException)
            {
                // Its names would pass 255 octets under this zone: the service gets no PTR, the others still do.
            }
        }
    }

    /// <summary>The cluster zone, lower case (e.g. <c>cluster.local.</c>).</summary>
    public DnsName Origin { get; }

    public ClusterServices Snapshot => _snapshot;

    /// <summary>True for names this zone answers authoritatively; the responder forwards the rest upstream.</summary>
    public bool Serves(DnsName name) =>
        name.IsSubdomainOf(Origin) || (DnsReverseName.TryParseAddress(name, out var ip) && OwnsReverse(ip!));

    /// <summary>
    /// The response to <paramref name="query"/>: same id, question echoed as asked, EDNS echoed when the query had it.
    /// REFUSED for a name we do not serve, NOTIMP for opcodes other than QUERY, FORMERR unless exactly one question.
    /// </summary>
    public DnsMessage Answer(DnsMessage query)
    {
        var response = DnsMessage.CreateResponse(query);
        response.RecursionAvailable = true;
        if (query.Opcode != DnsOpcode.Query)
        {
            response.ResponseCode = DnsResponseCode.NotImp;
            return response;
        }

        if (query.Questions.Count != 1)
        {
            response.ResponseCode = DnsResponseCode.FormErr;
            return response;
        }

        var question = query.Questions[0];
        if (question.Class != DnsClass.IN || question.Type is DnsType.AXFR or (DnsType)251 /* IXFR */ || !Serves(question.Name))
        {
            response.ResponseCode = DnsResponseCode.Refused;
            return response;
        }

        response.IsAuthoritative = true;
        var name = question.Name;
        var found = true;
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            var records = Lookup(name, out found);
            if (!found) break;
            var cname = records.Find(r => r.Type == DnsType.CNAME);
            if (cname != null && question.Type != DnsType.CNAME)
            {
                response.Answers.Add(cname);
                var target = ((CnameRecordData)cname.Data).Target;
                // Outside the zone the client's resolver chases it (CoreDNS would ask upstream; we do not).
                if (!target.IsSubdomainOf(Origin)) break;
                name = target;
                continue;
            }

            response.Answers.AddRange(records.Where(r => question.Type == DnsType.ANY || r.Type == question.Type));
            break;
        }

        foreach (var srv in response.Answers.Select(r => r.Data).OfType<SrvRecordData>().Select(s => s.Target).Distinct())
            response.Additionals.AddRange(Lookup(srv, out _).Where(r => r.Type is DnsType.A or DnsType.AAAA));
        if (question.Type == DnsType.NS && response.Answers.Count > 0)
            response.Additionals.AddRange(Lookup(_nameServer, out _));

        if (!found) response.ResponseCode = DnsResponseCode.NXDomain;
        if (response.Answers.Count == 0 || !found)
            response.Authorities.Add(new DnsResourceRecord(SoaOwner(name), _ttl, _soaData));
        return response;
    }

    /// <summary>Every record owned by <paramref name="name"/> (owner spelled as given); <paramref name="exists"/> false for NXDOMAIN.</summary>
    private List<DnsResourceRecord> Lookup(DnsName name, out bool exists)
    {
        var records = new List<DnsResourceRecord>();
        exists = name.IsSubdomainOf(Origin) ? LookupForward(name, records) : LookupReverse(name, records);
        return records;
    }

    private bool LookupForward(DnsName name, List<DnsResourceRecord> records)
    {
        var n = name.LabelCount - Origin.LabelCount;
        var rel = new string[n];
        for (var i = 0; i < n; i++) rel[i] = name.Labels[i].ToLowerInvariant();

        if (n == 0)
        {
            records.Add(Record(name, _soaData));
            records.Add(Record(name, new NsRecordData(_nameServer)));
            return true;
        }

        switch (rel[n - 1])
        {
            case "dns-version" when n == 1:
                records.Add(Record(name, new TxtRecordData(SchemaVersion)));
                return true;
            case "dns" when n == 1:
                return true;
            case "dns" when n == 2 && rel[0] == "ns":
                AddAddress(records, name, _snapshot.Settings.ClusterDns);
                return true;
            case "svc":
                return LookupService(name, rel, records);
            case "pod":
                return LookupPod(name, rel, records);
            default:
                return false;
        }
    }

    private bool LookupService(DnsName name, string[] rel, List<DnsResourceRecord> records)
    {
        var n = rel.Length;
        if (n == 1) return true;
        var ns = rel[n - 2];
        if (!_namespaces.Contains(ns)) return false;
        if (n == 2) return true;
        if (_snapshot.Find(ns, rel[n - 3]) is not { } svc) return false;
        switch (n)
        {
            case 3:
                if (svc.ExternalName != null)
                {
                    if (DnsName.TryParse(svc.ExternalName, out var target)) records.Add(Record(name, new CnameRecordData(target)));
                    return true;
                }

                if (!svc.Headless)
                {
                    foreach (var ip in svc.ClusterIps) AddAddress(records, name, ip);
                    return true;
                }

                var any = false;
                foreach (var e in Published(svc))
                {
                    AddAddress(records, name, e.Address);
                    any = true;
                }

                return any; // the spec: a headless service without ready endpoints does not exist
            case 4:
                if (svc.Headless && svc.ExternalName == null)
                {
                    var found = false;
                    foreach (var e in Published(svc))
                    {
                        if (EndpointLabel(e) != rel[0]) continue;
                        AddAddress(records, name, e.Address);
                        found = true;
                    }

                    if (found) return true;
                }

                // "_tcp.svc.ns.svc.zone" is an empty non-terminal above the SRV names.
                return rel[0].Length > 1 && rel[0][0] == '_' && svc.ExternalName == null
                       && svc.Ports.Any(p => p.Name.Length > 0 && ProtocolMatches(p, rel[0]));
            case 5:
                return LookupSrv(name, rel, svc, records);
            default:
                return false;
        }
    }

    private bool LookupSrv(DnsName name, string[] rel, ServiceEntry svc, List<DnsResourceRecord> records)
    {
        if (svc.ExternalName != null || rel[0].Length < 2 || rel[0][0] != '_') return false;
        var portName = rel[0][1..];
        var port = svc.Ports.FirstOrDefault(p => p.Name.Length > 0 && p.Name.Equals(portName, StringComparison.OrdinalIgnoreCase) && ProtocolMatches(p, rel[1]));
        if (port == null) return false;
        var serviceName = ServiceName(svc);
        if (!svc.Headless)
        {
            records.Add(Record(name, new SrvRecordData(0, 100, (ushort)port.Port, serviceName)));
            return true;
        }

        var targets = new List<(EndpointEntry Endpoint, int Port)>();
        foreach (var e in Published(svc))
            if (e.PortFor(port.Name, port.Protocol) is { } p) targets.Add((e, p));
        if (targets.Count == 0) return false;
        // CoreDNS splits a weight of 100 evenly over the records of one priority.
        var weight = (ushort)Math.Max(1, 100 / targets.Count);
        foreach (var (e, p) in targets)
            records.Add(Record(name, new SrvRecordData(0, weight, (ushort)p, serviceName.Prepend(EndpointLabel(e)))));
        return true;
    }

    private bool LookupPod(DnsName name, string[] rel, List<DnsResourceRecord> records)
    {
        var n = rel.Length;
        if (n == 1) return true;
        if (!_namespaces.Contains(rel[n - 2])) return false;
        if (n == 2) return true;
        if (n != 3 || !TryParseDashedIpv4(rel[0], out var ip)) return false;
        records.Add(Record(name, new ARecordData(ip)));
        return true;
    }

    private bool LookupReverse(DnsName name, List<DnsResourceRecord> records)
    {
        if (!DnsReverseName.TryParseAddress(name, out var ip) || !_ptr.TryGetValue(ip!, out var targets)) return false;
        foreach (var t in targets) records.Add(Record(name, new PtrRecordData(t)));
        return true;
    }

    private void IndexReverse(ServiceEntry svc)
    {
        if (svc.ExternalName != null) return;
        var serviceName = ServiceName(svc);
        foreach (var ip in svc.ClusterIps) AddPtr(ip, serviceName);
        foreach (var e in svc.Endpoints)
        {
            if (svc.Headless)
            {
                if (e.Ready || svc.PublishNotReadyAddresses) AddPtr(e.Address, serviceName.Prepend(EndpointLabel(e)));
            }
            else if (e.Ready && e.Address.AddressFamily == AddressFamily.InterNetwork)
            {
                // A pod behind a ClusterIP service: its pod record, which resolves forward too.
                AddPtr(e.Address, DnsName.FromLabels([Dashed(e.Address), svc.Namespace, "pod", .. Origin.Labels]), onlyIfNone: true);
            }
        }
    }

    private void AddPtr(IPAddress ip, DnsName target, bool onlyIfNone = false)
    {
        if (!_ptr.TryGetValue(ip, out var list)) _ptr[ip] = list = [];
        if (onlyIfNone && list.Count > 0) return;
        if (!list.Contains(target)) list.Add(target);
    }

    private bool OwnsReverse(IPAddress ip) =>
        _ptr.ContainsKey(ip) || Contains(_snapshot.Settings.ServiceCidr, ip) || Contains(_snapshot.Settings.ClusterCidr, ip);

    /// <summary>The SOA owner for a negative answer about <paramref name="name"/>: the zone, or the reverse zone of its CIDR.</summary>
    private DnsName SoaOwner(DnsName name)
    {
        if (name.IsSubdomainOf(Origin) || !DnsReverseName.TryParseAddress(name, out var ip)) return Origin;
        var cidr = Contains(_snapshot.Settings.ServiceCidr, ip!) ? _snapshot.Settings.ServiceCidr
            : Contains(_snapshot.Settings.ClusterCidr, ip!) ? _snapshot.Settings.ClusterCidr : null;
        var octets = cidr == null ? 3 : Math.Max(1, cidr.PrefixLength / 8);
        if (ip!.AddressFamily != AddressFamily.InterNetwork) return DnsReverseName.Ip6Arpa;
        var reverse = DnsReverseName.FromAddress(ip);
        return reverse.Parent(4 - octets);
    }

    private IEnumerable<EndpointEntry> Published(ServiceEntry svc) =>
        svc.Endpoints.Where(e => e.Ready || svc.PublishNotReadyAddresses);

    private DnsName ServiceName(ServiceEntry svc) => DnsName.FromLabels([svc.Name, svc.Namespace, "svc", .. Origin.Labels]);

    private DnsResourceRecord Record(DnsName owner, DnsRecordData data) => new(owner, _ttl, data);

    private void AddAddress(List<DnsResourceRecord> records, DnsName owner, IPAddress ip) =>
        records.Add(Record(owner, ip.AddressFamily == AddressFamily.InterNetwork ? new ARecordData(ip) : new AaaaRecordData(ip)));

    private static bool ProtocolMatches(ServicePortEntry port, string label) =>
        label.Length > 1 && label[0] == '_' && port.Protocol.Equals(label[1..], StringComparison.OrdinalIgnoreCase);

    /// <summary>An endpoint's DNS label: its hostname, else its IP with dashes (CoreDNS's default endpoint name).</summary>
    public static string EndpointLabel(EndpointEntry e) => e.Hostname is { Length: > 0 } h ? h.ToLowerInvariant() : Dashed(e.Address);

    public static string Dashed(IPAddress ip) => ip.ToString().Replace('.', '-').Replace(':', '-');

    private static bool TryParseDashedIpv4(string label, out IPAddress ip)
    {
        ip = IPAddress.None;
        var parts = label.Split('-');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)) return false;
            var v = int.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
            if (v > 255) return false;
            bytes[i] = (byte)v;
        }

        ip = new IPAddress(bytes);
        return true;
    }

    private static bool Contains(Ipv4Cidr cidr, IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetwork) return false;
        var b = ip.GetAddressBytes();
        var v = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        var mask = cidr.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - cidr.PrefixLength);
        return (v & mask) == cidr.Network;
    }
}
