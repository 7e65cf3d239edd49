using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Tests.Api.FieldValidation;

/// <summary>
/// The example manifests shipped in manifests/ are applied by kubectl with fieldValidation=Strict in the end-to-end
/// tests, so none of them may contain a field the detector calls unknown.
/// </summary>
public class RepositoryManifestTests
{
    private static readonly UnknownFieldDetector Detector = new(new OpenApiDocuments(ResourceCatalog.Default));

    public static TheoryData<string> Files()
    {
        var root = RepositoryRoot();
        return new(Directory.EnumerateFiles(Path.Combine(root, "manifests"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(root, f)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Manifest_has_no_unknown_fields(string relativePath)
    {
        foreach (var doc in YamlJson.ParseAll(File.ReadAllText(Path.Combine(RepositoryRoot(), relativePath))))
        {
            var obj = doc.AsObject();
            var kind = ResourceCatalog.Default.FindByApiVersionKind(obj["apiVersion"]?.GetValue<string>(), obj["kind"]?.GetValue<string>());
            Assert.NotNull(kind);
            Assert.Empty(Detector.Find(kind, obj));
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Orchestrator.sln) not found");
    }
}
