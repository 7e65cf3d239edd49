using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// API server benchmark: single-object latencies, large lists, watch delivery latency and memory.
// Usage: ApiBench <base-url> <kubeconfig> <server-pid> [pods=10000] [watchers=100]
// The server must be fresh (bench/api-bench.sh starts one). Prints a Markdown table.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ApiBench <base-url> <kubeconfig> <server-pid> [pods] [watchers]");
    return 2;
}
var baseUrl = args[0];
var token = File.ReadAllLines(args[1]).Select(l => l.Trim()).First(l => l.StartsWith("token:"))["token:".Length..].Trim();
var pid = int.Parse(args[2]);
var podCount = args.Length > 3 ? int.Parse(args[3]) : 10_000;
var watcherCount = args.Length > 4 ? int.Parse(args[4]) : 100;

var handler = new SocketsHttpHandler
{
    SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true }, // loopback benchmark against our own CA
    MaxConnectionsPerServer = 256,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

StringContent Json(string s) => new(s, Encoding.UTF8, "application/json");
async Task Ensure(HttpResponseMessage r)
{
    if (!r.IsSuccessStatusCode) throw new Exception($"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
}
async Task<HttpResponseMessage> Send(HttpMethod m, string url, string? body = null)
{
    using var req = new HttpRequestMessage(m, url) { Content = body == null ? null : Json(body) };
    var r = await http.SendAsync(req);
    await Ensure(r);
    return r;
}
string Pct(List<double> xs, double p)
{
    xs.Sort();
    return xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(p * xs.Count) - 1)].ToString("0.00");
}
long RssMb() => long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;

var rows = new List<string>();
await Send(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bench"}}""");

// 1. Single-object latencies (sequential, after a warm-up).
var create = new List<double>();
var get = new List<double>();
var update = new List<double>();
for (var i = 0; i < 1200; i++)
{
    var sw = Stopwatch.StartNew();
    var r = await Send(HttpMethod.Post, "/api/v1/namespaces/bench/configmaps", "{\"metadata\":{\"name\":\"cm-" + i + "\"},\"data\":{\"k\":\"v\"}}");
    var t1 = sw.Elapsed.TotalMilliseconds;
    var obj = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    sw.Restart();
    await Send(HttpMethod.Get, $"/api/v1/namespaces/bench/configmaps/cm-{i}");
    var t2 = sw.Elapsed.TotalMilliseconds;
    obj["data"]!["k"] = "w";
    sw.Restart();
    await Send(HttpMethod.Put, $"/api/v1/namespaces/bench/configmaps/cm-{i}", obj.ToJsonString());
    var t3 = sw.Elapsed.TotalMilliseconds;
    if (i < 200) continue; // warm-up
    create.Add(t1); get.Add(t2); update.Add(t3);
}
rows.Add($"| create ConfigMap latency (1,000 sequential) | p50 {Pct(create, 0.5)} ms, p99 {Pct(create, 0.99)} ms | p99 < 10 ms |");
rows.Add($"| get ConfigMap latency | p50 {Pct(get, 0.5)} ms, p99 {Pct(get, 0.99)} ms | |");
rows.Add($"| update (PUT) ConfigMap latency | p50 {Pct(update, 0.5)} ms, p99 {Pct(update, 0.99)} ms | |");

// 2. Pods: 1,000 in one namespace, the rest in another; then list both ways.
await Send(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bench-big"}}""");
string Pod(string name) => new JsonObject
{
    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "bench", ["tier"] = $"t{name.Length % 3}" } },
    ["spec"] = JsonNode.Parse("""{"containers":[{"name":"web","image":"echo-hostname:1.0","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}"""),
}.ToJsonString();
var createAll = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, podCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
{
    var ns = i < 1000 ? "bench" : "bench-big";
    await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod($"pod-{i}"));
});
rows.Add($"| create {podCount:N0} pods, 16 in parallel | {podCount / createAll.Elapsed.TotalSeconds:0} pods/s | |");

async Task<List<double>> TimeList(string url, int runs)
{
    var xs = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        using var r = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await Ensure(r);
        await (await r.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
        xs.Add(sw.Elapsed.TotalMilliseconds);
    }
    return xs;
}
var list1k = await TimeList("/api/v1/namespaces/bench/pods", 20);
var listAll = await TimeList("/api/v1/pods", 10);
var listSel = await TimeList("/api/v1/pods?labelSelector=tier%3Dt1", 10);
rows.Add($"| list 1,000 pods (JSON) | p50 {Pct(list1k, 0.5)} ms, max {list1k.Max():0.00} ms | |");
rows.Add($"| list {podCount:N0} pods (JSON) | p50 {Pct(listAll, 0.5)} ms, max {listAll.Max():0.00} ms | < 300 ms |");
rows.Add($"| list {podCount:N0} pods with a label selector | p50 {Pct(listSel, 0.5)} ms | |");
rows.Add($"| server RSS with {podCount:N0} pods | {RssMb()} MB | < 150 MB |");

// 3. Watch delivery: N watchers, one writer; latency = event received − write sent.
await Send(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bench-watch"}}""");
var rv = JsonNode.Parse(await (await Send(HttpMethod.Get, "/api/v1/namespaces/bench-watch/configmaps")).Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>();
const int events = 300;
var sentAt = new long[events];
var latencies = new List<double>();
var gate = new object();
using var cts = new CancellationTokenSource();
var watchers = Enumerable.Range(0, watcherCount).Select(async _ =>
{
    using var r = await http.GetAsync($"/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
    using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(cts.Token));
    var seen = 0;
    while (seen < events)
    {
        var line = await reader.ReadLineAsync(cts.Token);
        if (line == null) break;
        var now = Stopwatch.GetTimestamp();
        var name = JsonNode.Parse(line)!["object"]!["metadata"]!["name"]!.GetValue<string>();
        var idx = int.Parse(name["w-".Length..]);
        lock (gate) latencies.Add(Stopwatch.GetElapsedTime(sentAt[idx], now).TotalMilliseconds);
        seen++;
    }
}).ToList();
await Task.Delay(2000); // let every watcher connect
for (var i = 0; i < events; i++)
{
    sentAt[i] = Stopwatch.GetTimestamp();
    await Send(HttpMethod.Post, "/api/v1/namespaces/bench-watch/configmaps", "{\"metadata\":{\"name\":\"w-" + i + "\"}}");
    await Task.Delay(5);
}
var all = Task.WhenAll(watchers);
if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))) != all) cts.Cancel();
rows.Add($"| watch delivery, {watcherCount} watchers × {events} events | p50 {Pct(latencies, 0.5)} ms, p99 {Pct(latencies, 0.99)} ms ({latencies.Count} deliveries) | p99 < 20 ms |");
rows.Add($"| server RSS at the end | {RssMb()} MB | |");

Console.WriteLine("| measurement | result | goal |");
Console.WriteLine("|---|---|---|");
foreach (var row in rows) Console.WriteLine(row);
return 0;
