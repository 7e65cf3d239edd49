using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Agent.Streaming;
using Orchestrator.Tests.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Streaming;

/// <summary>
/// The agent's streaming port on its own (no API server): who may call it, and what it answers, against the real
/// dockerd. Certificates come from a throwaway CA standing in for the cluster CA.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class StreamingServerTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    private const string Node = "streaming-server-test-node";

    [Fact]
    public async Task OnlyTheApiServerCertificate_GetsLogs()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=streaming-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var serving = Issue(ca, StreamingProtocol.NodeCommonName(Node), "1.3.6.1.5.5.7.3.1");
        using var apiServer = Issue(ca, StreamingProtocol.ApiServerClientCommonName, "1.3.6.1.5.5.7.3.2");
        using var otherName = Issue(ca, "system:node:" + Node, "1.3.6.1.5.5.7.3.2");
        using var serverUsage = Issue(ca, StreamingProtocol.ApiServerClientCommonName, "1.3.6.1.5.5.7.3.1");

        var uid = Guid.NewGuid().ToString();
        var labels = PodContainerLabels.For(Node, "default", "p", uid, "main", PodContainerLabels.AppKind, 0);
        foreach (var (k, v) in Labels()) labels[k] = v;
        var id = await Docker.CreateContainerAsync($"streaming-test-server-{RunId}", new ContainerCreateRequest
        {
            Image = DockerFixture.Image,
            Cmd = ["sh", "-c", "echo served-line; sleep 30"],
            Labels = labels,
        }, Ct);
        await Docker.StartContainerAsync(id, Ct);

        var port = FreePort();
        var identity = new NodeIdentity(Node, IPAddress.Loopback, "amd64", "");
        await using var app = StreamingServer.Build(new IPEndPoint(IPAddress.Loopback, port), serving, ca.ExportCertificatePem(), Docker, identity, TimeProvider.System);
        await app.StartAsync(Ct);
        var logs = $"https://127.0.0.1:{port}/containerLogs/default/p/main?podUID={uid}";

        using (var client = Client(apiServer))
        {
            string text = "";
            for (var i = 0; i < 50 && !text.Contains("served-line"); i++)
            {
                text = await client.GetStringAsync(logs, Ct);
                if (!text.Contains("served-line")) await Task.Delay(100, Ct);
            }
            Assert.Equal("served-line\n", text);

            // The kubelet's errors, as Status objects.
            var previous = await client.GetAsync(logs + "&previous=true", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, previous.StatusCode);
            var status = JsonNode.Parse(await previous.Content.ReadAsStringAsync(Ct))!;
            Assert.Equal("Status", status["kind"]!.GetValue<string>());
            Assert.Equal("previous terminated container \"main\" in pod \"p\" not found", status["message"]!.GetValue<string>());
            var missing = await client.GetAsync($"https://127.0.0.1:{port}/containerLogs/default/p/other", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Contains("is waiting to start", await missing.Content.ReadAsStringAsync(Ct));
            // Another pod's UID: the container is not this pod's.
            var stale = await client.GetAsync($"https://127.0.0.1:{port}/containerLogs/default/p/main?podUID={Guid.NewGuid()}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        }

        // No certificate, a node's name, a server-only certificate, or a stranger's CA: the handshake fails.
        foreach (var wrong in new X509Certificate2?[] { null, otherName, serverUsage, SelfSigned(StreamingProtocol.ApiServerClientCommonName) })
        {
            using var client = Client(wrong);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(logs, Ct));
        }
    }

    private static HttpClient Client(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        if (certificate != null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string commonName, string usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), serial);
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 SelfSigned(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
