using Orchestrator.Agent.Images;

namespace Orchestrator.Tests.Agent.Images;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest", true)]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "docker.io/library/busybox:1.36", false)]
    [InlineData("busybox:latest", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest", true)]
    [InlineData("me/app:v2", "docker.io", "me/app", "v2", null, "docker.io/me/app:v2", false)]
    [InlineData("docker.io/busybox", "docker.io", "library/busybox", "latest", null, "docker.io/library/busybox:latest", true)]
    [InlineData("index.docker.io/me/app", "docker.io", "me/app", "latest", null, "docker.io/me/app:latest", true)]
    [InlineData("orchestrator-test/busybox:1", "docker.io", "orchestrator-test/busybox", "1", null, "docker.io/orchestrator-test/busybox:1", false)]
    [InlineData("127.0.0.1:5000/team/app:1", "127.0.0.1:5000", "team/app", "1", null, "127.0.0.1:5000/team/app:1", false)]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest", true)]
    [InlineData("localhost:5000/app", "localhost:5000", "app", "latest", null, "localhost:5000/app:latest", true)]
    [InlineData("registry.example.com/a/b/c:x_y.z-1", "registry.example.com", "a/b/c", "x_y.z-1", null, "registry.example.com/a/b/c:x_y.z-1", false)]
    [InlineData("Registry.Example.com/app", "Registry.Example.com", "app", "latest", null, "Registry.Example.com/app:latest", true)]
    [InlineData("my_user/my__app-x.y", "docker.io", "my_user/my__app-x.y", "latest", null, "docker.io/my_user/my__app-x.y:latest", true)]
    [InlineData("busybox@" + Sha, "docker.io", "library/busybox", null, Sha, "docker.io/library/busybox@" + Sha, false)]
    [InlineData("busybox:1@" + Sha, "docker.io", "library/busybox", "1", Sha, "docker.io/library/busybox@" + Sha, false)]
    [InlineData("[::1]:5000/app:1", "[::1]:5000", "app", "1", null, "[::1]:5000/app:1", false)]
    public void Parse_Normalises(string text, string domain, string path, string? tag, string? digest, string canonical, bool isLatest)
    {
        Assert.True(ImageReference.TryParse(text, out var image, out var error), error);
        Assert.Equal(domain, image.Domain);
        Assert.Equal(path, image.Path);
        Assert.Equal(tag, image.Tag);
        Assert.Equal(digest, image.Digest);
        Assert.Equal(canonical, image.Canonical);
        Assert.Equal($"{domain}/{path}", image.Repository);
        Assert.Equal(isLatest, image.IsLatest);
    }

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData(" busybox", "invalid reference format")]
    [InlineData("Busybox", "repository name (Busybox) must be lowercase")]
    [InlineData("me/App:1", "repository name (me/App) must be lowercase")]
    [InlineData("busybox:", "invalid reference format")]
    [InlineData("busybox:-1", "invalid reference format")]
    [InlineData("busybox:a/b", "invalid reference format")]
    [InlineData("busybox@sha256:xyz", "invalid reference format")]
    [InlineData("busybox@", "invalid reference format")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef", "invalid checksum digest length")]
    [InlineData("bad..name", "invalid reference format")]
    [InlineData("-app", "invalid reference format")]
    [InlineData("app/", "invalid reference format")]
    [InlineData("/app", "invalid reference format")]
    [InlineData("a//b", "invalid reference format")]
    [InlineData("-bad.host/app", "invalid reference format")]
    [InlineData("host:port/app", "invalid reference format")]
    [InlineData("app:1:2", "invalid reference format")]
    public void Parse_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_NameOver255Characters_IsInvalid()
    {
        Assert.False(ImageReference.TryParse(new string('a', 256), out _, out var error));
        Assert.Contains("255", error);
        Assert.True(ImageReference.TryParse(new string('a', 255), out _, out _));
    }

    [Theory]
    [InlineData(null, "busybox", ImagePullPolicy.Always)]
    [InlineData(null, "busybox:latest", ImagePullPolicy.Always)]
    [InlineData(null, "busybox:1", ImagePullPolicy.IfNotPresent)]
    [InlineData(null, "busybox@" + Sha, ImagePullPolicy.IfNotPresent)]
    [InlineData("", "127.0.0.1:5000/app", ImagePullPolicy.Always)]
    [InlineData("Always", "busybox:1", ImagePullPolicy.Always)]
    [InlineData("IfNotPresent", "busybox", ImagePullPolicy.IfNotPresent)]
    [InlineData("Never", "busybox", ImagePullPolicy.Never)]
    public void Policy_DefaultsByTag_ExplicitWins(string? declared, string image, ImagePullPolicy expected)
    {
        Assert.True(ImageReference.TryParse(image, out var reference, out _));
        Assert.Equal(expected, ImagePullPolicies.Effective(declared, reference));
    }
}
