using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Images;

/// <summary>
/// Registry credentials from pull secrets, looked up per image as the kubelet's credential provider keyring does:
/// <list type="number">
/// <item>every key of a secret's config (<c>https://host:port/path</c>, scheme optional, <c>/v1/</c> or <c>/v2/</c>
///   path prefix ignored) is reduced to <c>host[:port][/path]</c>;</item>
/// <item>an image matches a key when the ports are equal, the host has as many dot-separated parts with each part
///   matching as a glob (<c>*.example.com</c>), and the key's path is a prefix of the image's path;</item>
/// <item>matches are tried most specific first (keys sorted in reverse), secrets in the order the pod lists them;</item>
/// <item>an image on Docker Hub that matched nothing uses an <c>index.docker.io</c> key when one is present.</item>
/// </list>
/// Immutable; built per pull from the pod's secrets.
/// </summary>
public sealed class DockerKeyring
{
    private const string DefaultRegistryHost = "index.docker.io";

    public static readonly DockerKeyring Empty = new([]);

    // One entry per secret, in the pod's order: key → credentials, keys sorted most specific first.
    private readonly IReadOnlyList<IReadOnlyList<(string Key, RegistryAuth Auth)>> _secrets;

    private DockerKeyring(IReadOnlyList<IReadOnlyList<(string Key, RegistryAuth Auth)>> secrets) => _secrets = secrets;

    public bool IsEmpty => _secrets.All(s => s.Count == 0);

    /// <summary>A keyring from Secret objects; secrets of other types, or whose data does not parse, are skipped.</summary>
    public static DockerKeyring FromSecrets(IEnumerable<JsonObject> secrets, Action<string>? reportInvalid = null)
    {
        var all = new List<IReadOnlyList<(string, RegistryAuth)>>();
        foreach (var secret in secrets)
        {
            if (TryReadConfig(secret, out var config, out var problem))
                all.Add(FromConfig(config));
            else if (problem is not null)
                reportInvalid?.Invoke($"{secret.Namespace()}/{secret.Name()}: {problem}");
        }
        return new DockerKeyring(all);
    }

    /// <summary>A keyring from one Docker config's <c>auths</c> map (tests and callers with a config at hand).</summary>
    public static DockerKeyring FromAuths(JsonObject auths) => new([FromConfig(auths)]);

    /// <summary>The credentials to try for <paramref name="image"/>, best first; empty when none apply.</summary>
    public IReadOnlyList<RegistryAuth> Lookup(ImageReference image)
    {
        var target = image.Repository;
        var found = new List<RegistryAuth>();
        foreach (var secret in _secrets)
            foreach (var (key, auth) in secret)
                if (Matches(key, target))
                    found.Add(auth);
        if (found.Count > 0 || image.Domain != ImageReference.DefaultDomain)
            return found;
        foreach (var secret in _secrets)
            foreach (var (key, auth) in secret)
                if (key == DefaultRegistryHost)
                    found.Add(auth);
        return found;
    }

    /// <summary>
    /// Whether a credential key (<c>host[:port][/path]</c>, host parts may be globs) applies to a repository
    /// (<c>host[:port]/path</c>).
    /// </summary>
    public static bool Matches(string key, string repository)
    {
        var (keyHost, keyPort, keyPath) = SplitSchemeless(key);
        var (targetHost, targetPort, targetPath) = SplitSchemeless(repository);
        if (keyPort != targetPort)
            return false;
        var keyParts = keyHost.Split('.');
        var targetParts = targetHost.Split('.');
        if (keyParts.Length != targetParts.Length)
            return false;
        if (!targetPath.StartsWith(keyPath, StringComparison.Ordinal))
            return false;
        for (var i = 0; i < keyParts.Length; i++)
            if (!GlobMatches(keyParts[i], targetParts[i]))
                return false;
        return true;
    }

    /// <summary>
    /// The config of a <c>kubernetes.io/dockerconfigjson</c> (<c>.dockerconfigjson</c> holding <c>{"auths":{…}}</c>)
    /// or <c>kubernetes.io/dockercfg</c> (<c>.dockercfg</c> holding the map itself) secret. False with a null problem
    /// for other secret types.
    /// </summary>
    private static bool TryReadConfig(JsonObject secret, out JsonObject config, out string? problem)
    {
        config = new JsonObject();
        problem = null;
        var (field, wrapped) = secret.Str("type") switch
        {
            "kubernetes.io/dockerconfigjson" => (".dockerconfigjson", true),
            "kubernetes.io/dockercfg" => (".dockercfg", false),
            _ => (null, false),
        };
        if (field is null)
        {
            problem = $"type {secret.Str("type") ?? "Opaque"} is not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg";
            return false;
        }
        var encoded = secret["data"].Str(field);
        if (encoded is null)
        {
            problem = $"no data[{field}]";
            return false;
        }
        try
        {
            var parsed = JsonNode.Parse(Convert.FromBase64String(encoded)) as JsonObject;
            var map = wrapped ? parsed?["auths"] as JsonObject : parsed;
            if (map is null)
            {
                problem = wrapped ? $"data[{field}] has no \"auths\" object" : $"data[{field}] is not a JSON object";
                return false;
            }
            config = map;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            problem = $"data[{field}] is not base64-encoded JSON: {e.Message}";
            return false;
        }
    }

    private static IReadOnlyList<(string, RegistryAuth)> FromConfig(JsonObject auths)
    {
        var entries = new List<(string Key, RegistryAuth Auth)>();
        foreach (var (location, value) in auths)
        {
            if (value is not JsonObject entry || NormaliseKey(location) is not { } key)
                continue;
            var auth = new RegistryAuth
            {
                Username = entry.Str("username"),
                Password = entry.Str("password"),
                Email = entry.Str("email"),
                ServerAddress = key.Split('/')[0],
            };
            // "auth" is base64("user:password") and wins over separate fields, as Docker's config reader does.
            if (entry.Str("auth") is { Length: > 0 } basic && TryDecodeBasic(basic, out var user, out var password))
            {
                auth.Username = user;
                auth.Password = password;
            }
            if (entry.Str("identitytoken") is { Length: > 0 } token)
                auth.IdentityToken = token;
            entries.Add((key, auth));
        }
        // Most specific first: "registry/team/project" sorts after "registry/team" and "registry".
        return entries.OrderByDescending(e => e.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// <c>https://host:port/v2/path</c> → <c>host:port/path</c>, as the kubelet keys its keyring (ports stay as
    /// written: <c>:443</c> only matches images that name <c>:443</c>); null when it names no host.
    /// </summary>
    public static string? NormaliseKey(string location)
    {
        var value = location.Trim();
        foreach (var scheme in new[] { "https://", "http://" })
            if (value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                value = value[scheme.Length..];
        var end = value.IndexOfAny(['?', '#']);
        if (end >= 0)
            value = value[..end];
        var slash = value.IndexOf('/');
        var authority = slash < 0 ? value : value[..slash];
        var path = slash < 0 ? "" : value[slash..];
        if (authority.Length == 0)
            return null;
        if (path.StartsWith("/v2/", StringComparison.Ordinal) || path.StartsWith("/v1/", StringComparison.Ordinal))
            path = path[3..];
        return path.Length > 0 && path != "/" ? authority + path : authority;
    }

    private static (string Host, string Port, string Path) SplitSchemeless(string value)
    {
        var slash = value.IndexOf('/');
        var authority = slash < 0 ? value : value[..slash];
        var path = slash < 0 ? "" : value[slash..];
        var colon = authority.LastIndexOf(':');
        return colon > 0 && !authority.EndsWith(']')
            ? (authority[..colon].ToLowerInvariant(), authority[(colon + 1)..], path)
            : (authority.ToLowerInvariant(), "", path);
    }

    /// <summary>A shell-style glob on one host part: <c>*</c>, <c>?</c> and literal characters.</summary>
    private static bool GlobMatches(string pattern, string text)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
            return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", "[^.]*").Replace(@"\?", "[^.]") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static bool TryDecodeBasic(string basic, out string user, out string password)
    {
        user = password = "";
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
            var colon = text.IndexOf(':');
            if (colon <= 0)
                return false;
            user = text[..colon];
            password = text[(colon + 1)..].Trim('\n', '\r');
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
