using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class ContainerEnvironmentTests : IDisposable
{
    private readonly PodSpecTestData _data = new();

    public void Dispose() => _data.Dispose();

    private async Task<Dictionary<string, string>> EnvAsync(JsonObject pod) =>
        PodSpecTestData.EnvOf(await _data.Factory().ContainerAsync(_data.Context(pod), PodSpecTestData.ContainerOf(pod), "app", 0, default));

    private static JsonObject Env(string name, JsonNode valueOrFrom) => valueOrFrom is JsonObject from
        ? new JsonObject { ["name"] = name, ["valueFrom"] = from }
        : new JsonObject { ["name"] = name, ["value"] = valueOrFrom };

    private static JsonObject FieldRef(string path) => new() { ["fieldRef"] = new JsonObject { ["fieldPath"] = path } };

    [Fact]
    public async Task Values_ExpandEarlierVariablesAndServiceVariables_LaterOnesStayLiteral()
    {
        _data.Objects.Service("shop", "auth-service", "10.96.0.77", ("http", 3000, "TCP"));
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(
                Env("A", "a"),
                Env("B", "$(A)-$(LATER)-$$(A)"),
                Env("URL", "http://$(AUTH_SERVICE_SERVICE_HOST):$(AUTH_SERVICE_SERVICE_PORT)"),
                Env("LATER", "z")),
        });

        var env = await EnvAsync(pod);

        Assert.Equal("a-$(LATER)-$(A)", env["B"]);
        Assert.Equal("http://10.96.0.77:3000", env["URL"]);
    }

    [Fact]
    public async Task FieldRefs_ResolveMetadataSpecAndStatus()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(
                Env("NAME", FieldRef("metadata.name")),
                Env("NS", FieldRef("metadata.namespace")),
                Env("UID", FieldRef("metadata.uid")),
                Env("APP", FieldRef("metadata.labels['app']")),
                Env("MISSING", FieldRef("metadata.labels['nope']")),
                Env("NOTE", FieldRef("metadata.annotations['note']")),
                Env("NODE", FieldRef("spec.nodeName")),
                Env("SA", FieldRef("spec.serviceAccountName")),
                Env("HOST_IP", FieldRef("status.hostIP")),
                Env("POD_IP", FieldRef("status.podIP")),
                Env("POD_IPS", FieldRef("status.podIPs"))),
        }, spec: new JsonObject { ["serviceAccountName"] = "builder" });

        var env = await EnvAsync(pod);

        Assert.Equal("web-0", env["NAME"]);
        Assert.Equal("shop", env["NS"]);
        Assert.Equal((string)pod["metadata"]!["uid"]!, env["UID"]);
        Assert.Equal("web", env["APP"]);
        Assert.Equal("", env["MISSING"]);
        Assert.Equal("say \"hi\"", env["NOTE"]);
        Assert.Equal("podspec-node", env["NODE"]);
        Assert.Equal("builder", env["SA"]);
        Assert.Equal("192.168.77.10", env["HOST_IP"]);
        Assert.Equal("10.244.1.5", env["POD_IP"]);
        Assert.Equal("10.244.1.5", env["POD_IPS"]);
    }

    [Fact]
    public async Task UnsupportedFieldPath_IsAConfigError()
    {
        var pod = PodSpecTestData.Pod(container: new JsonObject { ["env"] = new JsonArray(Env("X", FieldRef("spec.nope"))) });

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => EnvAsync(pod));

        Assert.Equal("CreateContainerConfigError", e.Reason);
        Assert.Equal("unsupported fieldPath: spec.nope", e.Message);
    }

    [Fact]
    public async Task ResourceFieldRefs_DivideAndRoundUp_UnsetLimitsAreTheNodes()
    {
        JsonObject Res(string resource, string? divisor = null)
        {
            var r = new JsonObject { ["resource"] = resource };
            if (divisor != null) r["divisor"] = divisor;
            return new JsonObject { ["resourceFieldRef"] = r };
        }
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["limits"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "64Mi" },
                ["requests"] = new JsonObject { ["memory"] = "32Mi" },
            },
            ["env"] = new JsonArray(
                Env("CPU_LIMIT", Res("limits.cpu")),
                Env("CPU_LIMIT_M", Res("limits.cpu", "1m")),
                Env("CPU_REQUEST_M", Res("requests.cpu", "1m")),
                Env("MEM_LIMIT", Res("limits.memory")),
                Env("MEM_LIMIT_MI", Res("limits.memory", "1Mi")),
                Env("MEM_REQUEST_MI", Res("requests.memory", "1Mi")),
                Env("MEM_LIMIT_GI", Res("limits.memory", "1Gi"))),
        });
        var unlimited = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(Env("CPU", Res("limits.cpu")), Env("MEM_MI", Res("limits.memory", "1Mi")), Env("REQ", Res("requests.cpu", "1m"))),
        });

        var env = await EnvAsync(pod);
        var node = await EnvAsync(unlimited);

        Assert.Equal("1", env["CPU_LIMIT"]);
        Assert.Equal("250", env["CPU_LIMIT_M"]);
        Assert.Equal("250", env["CPU_REQUEST_M"]); // an unset request is the limit, as API defaulting makes it
        Assert.Equal((64 * 1024 * 1024).ToString(), env["MEM_LIMIT"]);
        Assert.Equal("64", env["MEM_LIMIT_MI"]);
        Assert.Equal("32", env["MEM_REQUEST_MI"]);
        Assert.Equal("1", env["MEM_LIMIT_GI"]);
        Assert.Equal("2", node["CPU"]);
        Assert.Equal("4096", node["MEM_MI"]);
        Assert.Equal("0", node["REQ"]);
    }

    [Fact]
    public async Task ConfigMapAndSecretKeyRefs_ResolveAndDecode_OptionalMissingIsUnset()
    {
        _data.Objects.ConfigMap("shop", "settings", ("mode", "fast")).Secret("shop", "creds", ("password", "s3cr3t"));
        JsonObject Ref(string kind, string name, string key, bool optional = false) => new()
        {
            [kind] = new JsonObject { ["name"] = name, ["key"] = key, ["optional"] = optional },
        };
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(
                Env("MODE", Ref("configMapKeyRef", "settings", "mode")),
                Env("PASSWORD", Ref("secretKeyRef", "creds", "password")),
                Env("NO_KEY", Ref("configMapKeyRef", "settings", "absent", optional: true)),
                Env("NO_MAP", Ref("configMapKeyRef", "ghost", "x", optional: true)),
                Env("NO_SECRET", Ref("secretKeyRef", "ghost", "x", optional: true))),
        });

        var env = await EnvAsync(pod);

        Assert.Equal("fast", env["MODE"]);
        Assert.Equal("s3cr3t", env["PASSWORD"]);
        Assert.False(env.ContainsKey("NO_KEY"));
        Assert.False(env.ContainsKey("NO_MAP"));
        Assert.False(env.ContainsKey("NO_SECRET"));
    }

    [Theory]
    [InlineData("configMapKeyRef", "ghost", "k", "configmap \"ghost\" not found")]
    [InlineData("configMapKeyRef", "settings", "absent", "couldn't find key absent in ConfigMap shop/settings")]
    [InlineData("secretKeyRef", "ghost", "k", "secret \"ghost\" not found")]
    [InlineData("secretKeyRef", "creds", "absent", "couldn't find key absent in Secret shop/creds")]
    public async Task MissingObjectsOrKeys_AreCreateContainerConfigErrors_WordedAsTheKubelet(string kind, string name, string key, string message)
    {
        _data.Objects.ConfigMap("shop", "settings", ("mode", "fast")).Secret("shop", "creds", ("password", "s3cr3t"));
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["env"] = new JsonArray(Env("X", new JsonObject { [kind] = new JsonObject { ["name"] = name, ["key"] = key } })),
        });

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => EnvAsync(pod));

        Assert.Equal("CreateContainerConfigError", e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task EnvFrom_WithPrefix_SkipsInvalidNames_ExplicitEnvWins_ServiceVarsYieldToExplicit()
    {
        _data.Objects
            .ConfigMap("shop", "settings", ("MODE", "fast"), ("LEVEL", "3"), ("bad key", "x"))
            .Secret("shop", "creds", ("USER", "admin"))
            .Service("shop", "db", "10.96.0.5", ("pg", 5432, "TCP"));
        var pod = PodSpecTestData.Pod(container: new JsonObject
        {
            ["envFrom"] = new JsonArray(
                new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = "settings" } },
                new JsonObject { ["prefix"] = "DB_", ["secretRef"] = new JsonObject { ["name"] = "creds" } },
                new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = "ghost", ["optional"] = true } }),
            ["env"] = new JsonArray(Env("LEVEL", "9"), Env("DB_SERVICE_HOST", "overridden")),
        });

        var request = await _data.Factory().ContainerAsync(_data.Context(pod), PodSpecTestData.ContainerOf(pod), "app", 0, default);
        var env = PodSpecTestData.EnvOf(request);

        Assert.Equal("fast", env["MODE"]);
        Assert.Equal("9", env["LEVEL"]);
        Assert.Equal("admin", env["DB_USER"]);
        Assert.False(env.ContainsKey("bad key"));
        Assert.Equal("overridden", env["DB_SERVICE_HOST"]);
        Assert.Equal("5432", env["DB_SERVICE_PORT"]);
        Assert.Single(request.Env!, e => e.StartsWith("DB_SERVICE_HOST=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnableServiceLinksFalse_KeepsOnlyTheKubernetesService()
    {
        _data.Objects.Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP")).Service("shop", "db", "10.96.0.5", ("pg", 5432, "TCP"));
        var pod = PodSpecTestData.Pod(spec: new JsonObject { ["enableServiceLinks"] = false });

        var env = await EnvAsync(pod);

        Assert.Equal("10.96.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.False(env.ContainsKey("DB_SERVICE_HOST"));
    }

    [Fact]
    public async Task ServicesNotYetSynced_IsAConfigError()
    {
        _data.Objects.ServicesSynced = false;

        var e = await Assert.ThrowsAsync<ContainerConfigException>(() => EnvAsync(PodSpecTestData.Pod()));

        Assert.Contains("services have not yet been read", e.Message);
    }

    [Fact]
    public async Task CommandAndArgs_AreExpandedWithTheEnv_ArgsAloneKeepTheImageEntrypoint()
    {
        var both = PodSpecTestData.Pod(container: new JsonObject
        {
            ["command"] = new JsonArray("sh", "-c"),
            ["args"] = new JsonArray("echo $(GREETING) $$(GREETING) $(NOPE)"),
            ["env"] = new JsonArray(Env("GREETING", "hello")),
        });
        var argsOnly = PodSpecTestData.Pod(container: new JsonObject { ["args"] = new JsonArray("--port", "80") });
        var neither = PodSpecTestData.Pod();

        var a = await _data.Factory().ContainerAsync(_data.Context(both), PodSpecTestData.ContainerOf(both), "app", 0, default);
        var b = await _data.Factory().ContainerAsync(_data.Context(argsOnly), PodSpecTestData.ContainerOf(argsOnly), "app", 0, default);
        var c = await _data.Factory().ContainerAsync(_data.Context(neither), PodSpecTestData.ContainerOf(neither), "app", 0, default);

        Assert.Equal(["sh", "-c"], a.Entrypoint);
        Assert.Equal(["echo hello $(GREETING) $(NOPE)"], a.Cmd);
        Assert.Null(b.Entrypoint);
        Assert.Equal(["--port", "80"], b.Cmd);
        Assert.Null(c.Entrypoint);
        Assert.Null(c.Cmd);
    }
}
