using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;

namespace Orchestrator.Tests.Api.OpenApi;

/// <summary>
/// Strict field validation rejects any field missing from these schemas, so less common upstream fields must be
/// present. A sample of them per area, plus the markers that make free-form content open.
/// </summary>
public class SchemaCoverageTests
{
    private static readonly SchemaRegistry Registry = SchemaRegistry.BuiltIn();

    [Theory]
    [InlineData("io.k8s.api.core.v1.PodSpec", "overhead readinessGates os hostUsers schedulingGates resourceClaims resources dnsConfig ephemeralContainers")]
    [InlineData("io.k8s.api.core.v1.EphemeralContainer", "name image targetContainerName resizePolicy volumeDevices restartPolicy")]
    [InlineData("io.k8s.api.core.v1.Container", "resizePolicy restartPolicy volumeDevices envFrom lifecycle startupProbe")]
    [InlineData("io.k8s.api.core.v1.SecurityContext", "seccompProfile appArmorProfile seLinuxOptions windowsOptions procMount capabilities")]
    [InlineData("io.k8s.api.core.v1.PodSecurityContext", "sysctls supplementalGroupsPolicy seLinuxChangePolicy appArmorProfile windowsOptions")]
    [InlineData("io.k8s.api.core.v1.Volume", "awsElasticBlockStore azureDisk azureFile cephfs cinder configMap csi downwardAPI emptyDir ephemeral fc flexVolume flocker gcePersistentDisk gitRepo glusterfs hostPath image iscsi nfs persistentVolumeClaim photonPersistentDisk portworxVolume projected quobyte rbd scaleIO secret storageos vsphereVolume")]
    [InlineData("io.k8s.api.core.v1.VolumeProjection", "clusterTrustBundle configMap downwardAPI secret serviceAccountToken")]
    [InlineData("io.k8s.api.core.v1.PodAffinityTerm", "namespaceSelector matchLabelKeys mismatchLabelKeys")]
    [InlineData("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys minDomains")]
    [InlineData("io.k8s.api.core.v1.ContainerStatus", "allocatedResources resources volumeMounts user allocatedResourcesStatus")]
    [InlineData("io.k8s.api.core.v1.NodeStatus", "volumesInUse volumesAttached config runtimeHandlers features")]
    [InlineData("io.k8s.api.batch.v1.JobSpec", "podFailurePolicy successPolicy backoffLimitPerIndex maxFailedIndexes podReplacementPolicy managedBy")]
    [InlineData("io.k8s.api.batch.v1.JobStatus", "failedIndexes uncountedTerminatedPods")]
    [InlineData("io.k8s.api.discovery.v1.Endpoint", "deprecatedTopology hints")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "managedFields ownerReferences deletionGracePeriodSeconds selfLink")]
    public void Schema_has_upstream_fields(string schema, string fields)
    {
        var props = Registry.Schemas[schema]["properties"]!.AsObject();
        foreach (var f in fields.Split(' '))
            Assert.True(props.ContainsKey(f), $"{schema} lacks {f}");
    }

    [Theory]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1")]
    [InlineData("io.k8s.apimachinery.pkg.runtime.RawExtension")]
    public void Free_form_schemas_preserve_unknown_fields(string schema) =>
        Assert.True(Registry.Schemas[schema]["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());

    [Fact]
    public void Ephemeral_containers_use_their_own_type()
    {
        var field = Registry.Schemas["io.k8s.api.core.v1.PodSpec"]["properties"]!["ephemeralContainers"]!;
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.EphemeralContainer",
            field["items"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Every_ref_in_the_registry_resolves()
    {
        var missing = new List<string>();
        foreach (var (name, schema) in Registry.Schemas)
            Collect(schema, name, missing);
        Assert.Empty(missing);
    }

    private static void Collect(JsonNode? node, string owner, List<string> missing)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "$ref" && v is JsonValue s)
                    {
                        var target = s.GetValue<string>()[SchemaDsl.RefPrefix.Length..];
                        if (!Registry.Schemas.ContainsKey(target)) missing.Add($"{owner} -> {target}");
                    }
                    else Collect(v, owner, missing);
                }
                break;
            case JsonArray a:
                foreach (var v in a) Collect(v, owner, missing);
                break;
        }
    }
}
