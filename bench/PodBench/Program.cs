using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// Pod start benchmark (issue 4): pods through the API server and the agent beside raw `docker run`s of the same
// container on the same Docker engine, measured from the client's side.
// Usage: PodBench <base-url> <kubeconfig> <agent-pid> <image> [pods=50] [rs=30]
// Needs a fresh server with one agent node (bench/pod-start-bench.sh sets it up). Prints a Markdown table.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: PodBench <base-url> <kubeconfig> <agent-pid> <image> [pods] [rs]");
    return 2;
}
var baseUrl = args[0];
var token = File.ReadAllLines(args[1]).Select(l => l.Trim()).First(l => l.StartsWith("token:"))["token:".Length..].Trim();
var agentPid = int.Parse(args[2]);
var image = args[3];
var podCount = args.Length > 4 ? int.Parse(args[4]) : 50;
var rsCount = args.Length > 5 ? int.Parse(args[5]) : 30;
const string Ns = "podbench";

var handler = new SocketsHttpHandler
{
    SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true }, // loopback benchmark against our own CA
    MaxConnectionsPerServer = 128,
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

async Task<JsonNode> Send(HttpMethod m, string url, string? body = null, string type = "application/json")
{
    using var req = new HttpRequestMessage(m, url) { Content = body == null ? null : new StringContent(body, Encoding.UTF8, type) };
    using var r = await http.SendAsync(req);
    var text = await r.Content.ReadAsStringAsync();
    if (!r.IsSuccessStatusCode) throw new Exception($"{m} {url}: {(int)r.StatusCode} {text}");
    return JsonNode.Parse(text)!;
}

long RssMb(int pid) =>
    long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;

static double Pct(IReadOnlyList<double> xs, double p)
{
    var s = xs.OrderBy(x => x).ToList();
    return s[Math.Min(s.Count - 1, Math.Max(0, (int)Math.Ceiling(p * s.Count) - 1))];
}

static async Task<(int Code, string Out)> Docker(params string[] a)
{
    var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    var o = await p.StandardOutput.ReadToEndAsync();
    var e = await p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    return (p.ExitCode, o + e);
}

async Task RemoveRawContainersAsync()
{
    var (_, ids) = await Docker("ps", "-aq", "--filter", "label=podbench=raw");
    var idList = ids.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    if (idList.Length > 0) await Docker(["rm", "-f", .. idList]);
}

// Raw docker: N `docker run -d` at once; a container counts as started when its `docker run` returns.
async Task<List<double>> RawDockerAsync(int n)
{
    var sw = Stopwatch.StartNew();
    var times = await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
    {
        var (code, output) = await Docker("run", "-d", "--name", $"podbench-raw-{i}", "--label", "podbench=raw", image, "sleep", "3600");
        if (code != 0) throw new Exception("docker run failed: " + output);
        return sw.Elapsed.TotalSeconds;
    }));
    await RemoveRawContainersAsync();
    return times.ToList();
}

// What a pod is in raw Docker terms: a sandbox (our pause image) and the app container in its network namespace,
// N of them at once; a pod counts as started when its second `docker run` returns.
async Task<List<double>> RawPodPairsAsync(int n)
{
    var sw = Stopwatch.StartNew();
    var times = await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
    {
        var (code, output) = await Docker("run", "-d", "--name", $"podbench-rawpod-{i}", "--label", "podbench=raw", "orchestrator/pause:1");
        if (code != 0) throw new Exception("docker run failed: " + output);
        (code, output) = await Docker("run", "-d", "--name", $"podbench-rawapp-{i}", "--label", "podbench=raw",
            "--network", $"container:podbench-rawpod-{i}", image, "sleep", "3600");
        if (code != 0) throw new Exception("docker run failed: " + output);
        return sw.Elapsed.TotalSeconds;
    }));
    await RemoveRawContainersAsync();
    return times.ToList();
}

// Watches the namespace's pods and records, per pod name, when it was first seen Running and Ready.
async Task<(ConcurrentDictionary<string, double> Running, ConcurrentDictionary<string, double> Ready, Func<Task> Stop)> WatchAsync(Stopwatch sw)
{
    var list = await Send(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/pods");
    var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
    var running = new ConcurrentDictionary<string, double>();
    var ready = new ConcurrentDictionary<string, double>();
    var cts = new CancellationTokenSource();
    var opened = new TaskCompletionSource();
    var loop = Task.Run(async () =>
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/pods?watch=true&resourceVersion={rv}&allowWatchBookmarks=false");
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        opened.SetResult();
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                var obj = JsonNode.Parse(line)!["object"]!;
                var name = obj["metadata"]!["name"]!.GetValue<string>();
                var t = sw.Elapsed.TotalSeconds;
                if (obj["status"]?["phase"]?.GetValue<string>() == "Running") running.TryAdd(name, t);
                if (obj["status"]?["conditions"] is JsonArray conds &&
                    conds.Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True"))
                    ready.TryAdd(name, t);
            }
        }
        catch (OperationCanceledException) { }
    });
    await opened.Task;
    return (running, ready, async () => { cts.Cancel(); try { await loop; } catch (OperationCanceledException) { } });
}

string PodJson(string name) =>
    new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "podbench" } },
        ["spec"] = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 0,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c", ["image"] = image, ["imagePullPolicy"] = "IfNotPresent",
                ["command"] = new JsonArray("sleep", "3600"),
            }),
        },
    }.ToJsonString();

async Task WaitGoneAsync()
{
    for (var i = 0; i < 600; i++)
    {
        var l = await Send(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/pods");
        if (l["items"]!.AsArray().Count == 0) return;
        await Task.Delay(500);
    }
    throw new Exception("pods were not deleted");
}

// Creates n bare pods at once and waits for each to be Running and Ready (as seen through the watch).
async Task<(List<double> Running, List<double> Ready, double Total)> PodsAsync(int n, string prefix)
{
    var sw = Stopwatch.StartNew();
    var (running, ready, stop) = await WatchAsync(sw);
    var created = new ConcurrentDictionary<string, double>();
    sw.Restart();
    await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
    {
        var name = $"{prefix}-{i}";
        created[name] = sw.Elapsed.TotalSeconds;
        await Send(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/pods", PodJson(name));
    }));
    while (ready.Count < n)
    {
        if (sw.Elapsed > TimeSpan.FromMinutes(5)) throw new Exception($"only {ready.Count}/{n} pods Ready after 5 minutes");
        await Task.Delay(20);
    }
    var total = sw.Elapsed.TotalSeconds;
    await stop();
    var r = created.Select(kv => running[kv.Key] - kv.Value).ToList();
    var q = created.Select(kv => ready[kv.Key] - kv.Value).ToList();
    await Send(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods");
    await WaitGoneAsync();
    return (r, q, total);
}

var rows = new List<string>();
try { await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + Ns + "\"}}"); } catch { /* exists */ }
var idleRss = RssMb(agentPid);

// Warm-up: the sandbox image and the first container on the pod network are made once.
await PodsAsync(1, "warm");
await RawDockerAsync(1);

var raw1 = await RawDockerAsync(1);
var one = await PodsAsync(1, "one");
rows.Add($"| 1 pod: create → Running / Ready | {one.Running[0]:0.00} s / {one.Ready[0]:0.00} s | raw `docker run -d`: {raw1[0]:0.00} s | {one.Ready[0] / raw1[0]:0.00} |");

var rawN = await RawDockerAsync(podCount);
var rawPairs = await RawPodPairsAsync(podCount);
var many = await PodsAsync(podCount, "many");
var fullRss = 0L;
rows.Add($"| {podCount} pods at once: all Ready | {many.Total:0.00} s (Running p50 {Pct(many.Running, 0.5):0.00} s, p99 {Pct(many.Running, 0.99):0.00} s; Ready p99 {Pct(many.Ready, 0.99):0.00} s) | {podCount} parallel `docker run -d`: all {rawN.Max():0.00} s (p50 {Pct(rawN, 0.5):0.00} s) | {many.Total / rawN.Max():0.00} |");
rows.Add($"| the same {podCount} pods | | {podCount} parallel sandbox + app `docker run -d` pairs: all {rawPairs.Max():0.00} s (p50 {Pct(rawPairs, 0.5):0.00} s) | {many.Total / rawPairs.Max():0.00} |");

// ReplicaSet 0 → rsCount (controller + scheduler + agent) beside as many raw docker runs.
var rawRs = await RawDockerAsync(rsCount);
var rs = new JsonObject
{
    ["apiVersion"] = "apps/v1",
    ["kind"] = "ReplicaSet",
    ["metadata"] = new JsonObject { ["name"] = "rs" },
    ["spec"] = new JsonObject
    {
        ["replicas"] = 0,
        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "podbench-rs" } },
        ["template"] = JsonNode.Parse(PodJson("x"))!.AsObject() is var t ? new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "podbench-rs" } },
            ["spec"] = t["spec"]!.DeepClone(),
        } : null,
    },
};
await Send(HttpMethod.Post, $"/apis/apps/v1/namespaces/{Ns}/replicasets", rs.ToJsonString());
{
    var sw = Stopwatch.StartNew();
    var (_, ready, stop) = await WatchAsync(sw);
    sw.Restart();
    await Send(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{Ns}/replicasets/rs/scale", "{\"spec\":{\"replicas\":" + rsCount + "}}", "application/merge-patch+json");
    while (ready.Count < rsCount)
    {
        if (sw.Elapsed > TimeSpan.FromMinutes(5)) throw new Exception("ReplicaSet did not become Ready");
        await Task.Delay(20);
    }
    var total = sw.Elapsed.TotalSeconds;
    fullRss = RssMb(agentPid);
    await stop();
    rows.Add($"| ReplicaSet scaled 0 → {rsCount}: all Ready | {total:0.00} s | {rsCount} parallel `docker run -d`: {rawRs.Max():0.00} s | {total / rawRs.Max():0.00} |");
    await Send(HttpMethod.Delete, $"/apis/apps/v1/namespaces/{Ns}/replicasets/rs");
    await Send(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods");
    await WaitGoneAsync();
}

Console.WriteLine("| Measure | Orchestrator | Raw Docker | Ratio |");
Console.WriteLine("|---|---|---|---|");
foreach (var r in rows) Console.WriteLine(r);
Console.WriteLine($"| Agent RSS idle / with {rsCount} pods | {idleRss} MB / {fullRss} MB | | |");
return 0;
