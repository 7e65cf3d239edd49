using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Orchestrator.Agent.Images;

/// <summary>
/// A container image reference, parsed and normalised as Docker (distribution/reference) and the kubelet do.
/// <code>
/// reference      := name [ ":" tag ] [ "@" digest ]
/// name           := [ domain "/" ] path-component ( "/" path-component )*
/// domain         := host [ ":" port ]           host: DNS labels separated by ".", or [IPv6]
/// path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
/// tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
/// digest         := algorithm ":" hex            e.g. sha256:&lt;64 hex digits&gt;
/// </code>
/// The first component is a registry host only when it contains "." or ":", or is "localhost" (otherwise it is a
/// Docker Hub user): <c>busybox</c> → <c>docker.io/library/busybox</c>, <c>me/app</c> → <c>docker.io/me/app</c>,
/// <c>127.0.0.1:5000/app</c> keeps its host. A reference without tag or digest gets <c>latest</c>.
/// </summary>
public sealed partial record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepositoryPrefix = "library/";
    private const int MaxNameLength = 255;

    /// <summary><c>domain/path</c>: the repository, as credentials are matched against it.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>
    /// What to pull and inspect: <c>domain/path@digest</c> when there is a digest (the digest decides; a tag next to
    /// it is informational, as in containerd), otherwise <c>domain/path:tag</c>.
    /// </summary>
    public string Canonical => Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag}";

    /// <summary>True when the reference names <c>latest</c> explicitly or nothing at all (the default pull policy is Always).</summary>
    public bool IsLatest { get; private init; }

    public override string ToString() => Canonical;

    /// <summary>Parses <paramref name="reference"/>; on failure <paramref name="error"/> reads as Docker's error.</summary>
    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? image, [NotNullWhen(false)] out string? error)
    {
        image = null;
        if (string.IsNullOrEmpty(reference) || reference.Trim() != reference)
            return Fail("invalid reference format", out error);

        var rest = reference;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
                return Fail("invalid reference format", out error);
            if (digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length != "sha256:".Length + 64)
                return Fail("invalid checksum digest length", out error);
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
                return Fail("invalid reference format", out error);
        }

        if (rest.Length == 0 || rest.Length > MaxNameLength)
            return Fail(rest.Length == 0 ? "invalid reference format" : "repository name must not be more than 255 characters", out error);

        string domain;
        string path;
        var firstSlash = rest.IndexOf('/');
        var first = firstSlash < 0 ? null : rest[..firstSlash];
        if (first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            domain = first;
            path = rest[(firstSlash + 1)..];
            if (!DomainPattern().IsMatch(domain))
                return Fail("invalid reference format", out error);
        }
        else
        {
            domain = DefaultDomain;
            path = rest;
        }

        if (path.Any(char.IsUpper))
            return Fail($"repository name ({path}) must be lowercase", out error);
        if (path.Split('/').Any(component => !PathComponentPattern().IsMatch(component)))
            return Fail("invalid reference format", out error);

        if (domain == LegacyDefaultDomain)
            domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/'))
            path = OfficialRepositoryPrefix + path;

        image = new ImageReference(domain, path, tag ?? (digest is null ? "latest" : null), digest)
        {
            IsLatest = digest is null && (tag is null || tag == "latest"),
        };
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")]
    private static partial Regex DigestPattern();

    // DNS labels separated by dots (or a bracketed IPv6 literal), optionally a port.
    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
