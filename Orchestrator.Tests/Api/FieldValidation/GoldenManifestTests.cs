using System.Text.Json.Nodes;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Tests.Api.FieldValidation;

/// <summary>
/// Valid manifests that use many fields of each served kind, written for these tests after the shapes that kubectl
/// (create --dry-run=client -o yaml, get -o yaml) and the upstream documentation examples produce. None of them may
/// yield an unknown field: a strict validator that rejects a valid upstream manifest breaks kubectl apply.
/// </summary>
public class GoldenManifestTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.Default;
    private static readonly UnknownFieldDetector Detector = new(new OpenApiDocuments(Catalog));

    public static TheoryData<string> Names() => new(GoldenManifests.All.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Valid_manifest_has_no_unknown_fields(string name)
    {
        foreach (var doc in YamlJson.ParseAll(GoldenManifests.All[name]))
        {
            var obj = doc.AsObject();
            // Split apiVersion by hand rather than through the catalog: Scale is a subresource body, not a served kind.
            var apiVersion = obj["apiVersion"]!.GetValue<string>();
            var slash = apiVersion.IndexOf('/');
            var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
            var kind = obj["kind"]!.GetValue<string>();
            Assert.True(Detector.HasSchema(group, version, kind), $"{apiVersion} {kind} has no schema");
            Assert.Empty(Detector.Find(group, version, kind, obj));
        }
    }

    [Fact]
    public void A_typo_planted_deep_in_a_golden_manifest_is_found()
    {
        var obj = YamlJson.ParseAll(GoldenManifests.All["deployment-full"])[0].AsObject();
        var container = obj["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["livenessProbe"]!["httpGet"]!["pth"] = "/x";
        obj["spec"]!["template"]!["spec"]!["volumes"]![2]!["configMap"]!["itemz"] = new JsonArray();
        Assert.Equal(
            ["spec.template.spec.containers[0].livenessProbe.httpGet.pth", "spec.template.spec.volumes[2].configMap.itemz"],
            Detector.Find(Catalog.FindByApiVersionKind("apps/v1", "Deployment")!, obj));
    }
}
