using System.Collections.Concurrent;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Images;

/// <summary>
/// Makes containers' images present, as the kubelet's image manager does. Per call of
/// <see cref="EnsureImageAsync"/>:
/// <list type="number">
/// <item>parse the image reference (<see cref="ImageReference"/>); a bad one is <c>InvalidImageName</c>;</item>
/// <item>inspect the local image; present and the policy is not Always → ready;</item>
/// <item>policy Never and missing → <c>ErrImageNeverPull</c>;</item>
/// <item>backing off for this pod and image → <c>ImagePullBackOff</c> ("Back-off pulling image …");</item>
/// <item>read the pod's <c>imagePullSecrets</c> and pull with each matching credential in turn (none: anonymously)
///   until one succeeds; failure → <c>ErrImagePull</c> with the daemon's (registry's) message, and the back-off
///   grows (10 s doubling to 5 min).</item>
/// </list>
/// Back-off is keyed by pod UID and image, as the kubelet keys it, so that one pod's missing secret does not hold
/// back another pod that has the right one. Concurrent pulls of one image with the same credentials share one
/// daemon pull; a waiter's cancellation stops only its wait.
/// </summary>
public sealed class ImageManager : IImageManager, IDisposable
{
    private readonly DockerClient _docker;
    private readonly IKubeClient _client;
    private readonly ImageManagerOptions _options;
    private readonly ILogger<ImageManager> _log;
    private readonly PullBackOff _backOff;
    private readonly Architecture _architecture;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _pulls = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sandboxGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private int _disposed;

    public ImageManager(DockerClient docker, IKubeClient client, TimeProvider time, ILogger<ImageManager> log,
        ImageManagerOptions? options = null, Architecture? architecture = null)
    {
        _docker = docker;
        _client = client;
        _log = log;
        _options = options ?? new ImageManagerOptions();
        _backOff = new PullBackOff(time, _options.InitialBackOff, _options.MaxBackOff);
        _architecture = architecture ?? RuntimeInformation.OSArchitecture;
    }

    public ImageManagerOptions Options => _options;

    public async Task<ImagePullOutcome> EnsureImageAsync(JsonObject pod, JsonObject container, CancellationToken ct)
    {
        // 1. The reference.
        var image = container.Str("image") ?? "";
        if (!ImageReference.TryParse(image, out var reference, out var parseError))
            return ImagePullOutcome.Waiting("InvalidImageName",
                $"Failed to apply default image tag \"{image}\": couldn't parse image reference \"{image}\": {parseError}");
        var policy = ImagePullPolicies.Effective(container.Str("imagePullPolicy"), reference);

        // 2.-3. What is here already.
        ImageInspect? present;
        try
        {
            present = await _docker.TryInspectImageAsync(reference.Canonical, ct);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException)
        {
            return ImagePullOutcome.Waiting("ImageInspectError", $"Failed to inspect image \"{image}\": {Describe(e)}");
        }
        if (present?.Id is { } presentId && policy != ImagePullPolicy.Always)
            return ImagePullOutcome.Present(presentId);
        if (policy == ImagePullPolicy.Never)
            return ImagePullOutcome.Waiting("ErrImageNeverPull",
                $"Container image \"{image}\" is not present with pull policy of Never");

        // 4. Back-off.
        var backOffKey = $"{pod.Uid()}_{image}";
        if (_backOff.Remaining(backOffKey) is not null)
            return ImagePullOutcome.Waiting("ImagePullBackOff", $"Back-off pulling image \"{image}\"");

        // 5. Pull, with each matching credential in turn.
        var keyring = await ReadPullSecretsAsync(pod, ct);
        var credentials = keyring.Lookup(reference);
        var errors = new List<string>();
        IReadOnlyList<RegistryAuth?> attempts = credentials.Count > 0 ? [.. credentials] : [null];
        foreach (var auth in attempts)
        {
            try
            {
                _log.LogInformation("Pulling image {Image}{With}", reference.Canonical,
                    auth is null ? "" : $" as {auth.Username ?? "(token)"} for {auth.ServerAddress}");
                await SharedPullAsync(reference, auth).WaitAsync(ct);
                var pulled = await _docker.InspectImageAsync(reference.Canonical, ct);
                _backOff.Reset(backOffKey);
                _log.LogInformation("Pulled image {Image} ({Id})", reference.Canonical, pulled.Id);
                return ImagePullOutcome.Present(pulled.Id!);
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or TimeoutException
                                          || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                errors.Add(Describe(e));
            }
        }
        _backOff.RecordFailure(backOffKey);
        var message = string.Join("; ", errors);
        _log.LogWarning("Failed to pull image {Image} for pod {Namespace}/{Pod}: {Message}",
            image, pod.Namespace(), pod.Name(), message);
        return ImagePullOutcome.Waiting("ErrImagePull", message);
    }

    public async Task<string> EnsureSandboxImageAsync(CancellationToken ct)
    {
        var name = _options.SandboxImage;
        if (await _docker.TryInspectImageAsync(name, ct) is not null)
            return name;
        await _sandboxGate.WaitAsync(ct);
        try
        {
            if (await _docker.TryInspectImageAsync(name, ct) is not null)
                return name;
            var (changes, tar) = SandboxImage.Build(_architecture);
            var bytes = tar.Length;
            using (tar)
                await _docker.ImportImageAsync(tar, name, changes, ct);
            _log.LogInformation("Built the sandbox image {Image} ({Bytes} bytes of tar, {Arch})", name, bytes, _architecture);
            return name;
        }
        finally
        {
            _sandboxGate.Release();
        }
    }

    /// <summary>
    /// One daemon pull per (image, credential) at a time: callers that arrive while it runs wait for the same task.
    /// The pull runs on the manager's lifetime, not on a caller's token, so one pod giving up does not fail another.
    /// </summary>
    private Task SharedPullAsync(ImageReference reference, RegistryAuth? auth)
    {
        var key = reference.Canonical + "|" + Fingerprint(auth);
        var lazy = _pulls.GetOrAdd(key, _ => new Lazy<Task>(() => RunPullAsync(key, reference, auth)));
        return lazy.Value;
    }

    private async Task RunPullAsync(string key, ImageReference reference, RegistryAuth? auth)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(_options.PullTimeout);
            try
            {
                await _docker.PullImageAsync(reference.Canonical, auth, null, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_lifetime.IsCancellationRequested)
            {
                throw new TimeoutException($"pulling {reference.Canonical} took longer than {_options.PullTimeout}");
            }
        }
        finally
        {
            _pulls.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// The keyring of the pod's <c>imagePullSecrets</c>. A secret that is missing or unreadable is skipped with a
    /// warning (the pull may still succeed anonymously), as the kubelet does.
    /// </summary>
    private async Task<DockerKeyring> ReadPullSecretsAsync(JsonObject pod, CancellationToken ct)
    {
        if (pod["spec"]?["imagePullSecrets"] is not JsonArray refs || refs.Count == 0)
            return DockerKeyring.Empty;
        var ns = pod.Namespace() ?? "default";
        var secrets = new List<JsonObject>();
        foreach (var name in refs.Select(r => r.Str("name")).Where(n => !string.IsNullOrEmpty(n)).Distinct())
        {
            try
            {
                if (await _client.GetAsync(Kinds.Secret, ns, name!, ct) is { } secret)
                    secrets.Add(secret);
                else
                    _log.LogWarning("Pod {Namespace}/{Pod}: image pull secret {Secret} does not exist; pulling without it",
                        ns, pod.Name(), name);
            }
            catch (Exception e) when (e is ApiException or HttpRequestException)
            {
                _log.LogWarning("Pod {Namespace}/{Pod}: cannot read image pull secret {Secret} ({Message}); pulling without it",
                    ns, pod.Name(), name, e.Message);
            }
        }
        return DockerKeyring.FromSecrets(secrets, problem =>
            _log.LogWarning("Pod {Namespace}/{Pod}: image pull secret {Problem}; skipped", ns, pod.Name(), problem));
    }

    private static string Describe(Exception e) => e switch
    {
        DockerApiException d => d.DockerMessage,
        HttpRequestException h => $"cannot reach the Docker daemon: {h.Message}",
        _ => e.Message,
    };

    /// <summary>Tells credentials apart without keeping the secret in the key.</summary>
    private static string Fingerprint(RegistryAuth? auth)
    {
        if (auth is null)
            return "anonymous";
        var text = string.Join('\n', auth.ServerAddress, auth.Username, auth.Password, auth.IdentityToken, auth.RegistryToken);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>Stops pulls in flight. Idempotent: DI disposes it once per registration (the type and the interface).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _lifetime.Cancel();
        _lifetime.Dispose();
        _sandboxGate.Dispose();
    }
}
