using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// core/v1 volume sources beyond the everyday ones (those stay with the pod schemas): network and cloud disks, CSI,
/// generic ephemeral volumes and image volumes. Most are deprecated upstream but still accepted, so manifests that use
/// them must pass field validation.
/// </summary>
internal static class CoreV1VolumeSchemas
{
    public static void Register(SchemaRegistry r)
    {
        r.Add(CoreV1 + "EphemeralVolumeSource", Obj("A volume backed by a claim that is created for the pod and removed with it.",
            Ref("volumeClaimTemplate", CoreV1 + "PersistentVolumeClaimTemplate", "Template of the claim created for the pod.")));
        r.Add(CoreV1 + "PersistentVolumeClaimTemplate", Obj("Template of a PersistentVolumeClaim created for an ephemeral volume.",
            Ref("metadata", Meta + "ObjectMeta", "Labels and annotations copied to the claim."),
            Req(Ref("spec", CoreV1 + "PersistentVolumeClaimSpec", "Specification of the claim."))));
        r.Add(CoreV1 + "PersistentVolumeClaimSpec", Obj("What storage a claim asks for.",
            StrList("accessModes", "Access modes wanted, such as ReadWriteOnce."),
            Ref("selector", Meta + "LabelSelector", "Label query over the volumes that may be bound."),
            Ref("resources", CoreV1 + "VolumeResourceRequirements", "Minimum (and optional maximum) storage wanted."),
            Str("volumeName", "Name of a specific PersistentVolume to bind."),
            Str("storageClassName", "StorageClass to provision from."),
            Enum("volumeMode", "Whether the volume is mounted as a file system or exposed as a block device.", "Block", "Filesystem"),
            Ref("dataSource", CoreV1 + "TypedLocalObjectReference", "Object (snapshot or claim) to populate the volume from."),
            Ref("dataSourceRef", CoreV1 + "TypedObjectReference", "Object to populate the volume from, possibly a custom populator."),
            Str("volumeAttributesClassName", "VolumeAttributesClass to apply to the volume.")));
        r.Add(CoreV1 + "VolumeResourceRequirements", Obj("Storage requested by a claim.",
            RefMap("limits", Quantity, "Maximum amount of storage."),
            RefMap("requests", Quantity, "Minimum amount of storage.")));
        r.Add(CoreV1 + "TypedLocalObjectReference", Obj("Refers to an object of a given type in the same namespace.",
            Str("apiGroup", "API group of the object; empty for the core group."),
            Req(Str("kind", "Kind of the object.")),
            Req(Str("name", "Name of the object."))));
        r.Add(CoreV1 + "TypedObjectReference", Obj("Refers to an object of a given type, possibly in another namespace.",
            Str("apiGroup", "API group of the object; empty for the core group."),
            Req(Str("kind", "Kind of the object.")),
            Req(Str("name", "Name of the object.")),
            Str("namespace", "Namespace of the object; needs a ReferenceGrant when it differs from the claim's.")));

        r.Add(CoreV1 + "CSIVolumeSource", Obj("An inline volume managed by a CSI driver.",
            Req(Str("driver", "Name of the CSI driver.")),
            Bool("readOnly", "Mount read-only."),
            Str("fsType", "File system type passed to the driver."),
            StrMap("volumeAttributes", "Driver-specific properties."),
            Ref("nodePublishSecretRef", CoreV1 + "LocalObjectReference", "Secret with credentials the driver needs to publish the volume.")));
        r.Add(CoreV1 + "ImageVolumeSource", Obj("An OCI image or artifact mounted read-only.",
            Str("reference", "Image or artifact reference, as for a container image."),
            Enum("pullPolicy", "When the image is pulled.", "Always", "IfNotPresent", "Never")));
        r.Add(CoreV1 + "ClusterTrustBundleProjection", Obj("Certificates from ClusterTrustBundles written to one file.",
            Str("name", "Select a single bundle by name."),
            Str("signerName", "Select the bundles of this signer."),
            Ref("labelSelector", Meta + "LabelSelector", "Select the bundles of the signer that match these labels."),
            Bool("optional", "Whether a missing bundle is tolerated."),
            Req(Str("path", "Relative path of the file."))));

        r.Add(CoreV1 + "NFSVolumeSource", Obj("An NFS export.",
            Req(Str("server", "Host name or address of the NFS server.")),
            Req(Str("path", "Exported path.")),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "ISCSIVolumeSource", Obj("An iSCSI disk.",
            Req(Str("targetPortal", "Target portal, an address with optional port.")),
            Req(Str("iqn", "iSCSI qualified name of the target.")),
            Req(Int("lun", "Logical unit number.")),
            Str("iscsiInterface", "iSCSI interface name; defaults to default (tcp)."),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only."),
            StrList("portals", "Additional target portals."),
            Bool("chapAuthDiscovery", "Use CHAP authentication for discovery."),
            Bool("chapAuthSession", "Use CHAP authentication for the session."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret with the CHAP credentials."),
            Str("initiatorName", "Custom initiator name.")));
        r.Add(CoreV1 + "GitRepoVolumeSource", Obj("A git repository cloned into a directory; deprecated.",
            Req(Str("repository", "Repository URL.")),
            Str("revision", "Commit to check out."),
            Str("directory", "Target directory name inside the volume.")));
        r.Add(CoreV1 + "AWSElasticBlockStoreVolumeSource", Obj("An AWS EBS disk; deprecated in favour of its CSI driver.",
            Req(Str("volumeID", "ID of the EBS volume.")),
            Str("fsType", "File system type to mount."),
            Int("partition", "Partition to mount; zero means the whole disk."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "GCEPersistentDiskVolumeSource", Obj("A GCE persistent disk; deprecated in favour of its CSI driver.",
            Req(Str("pdName", "Name of the disk.")),
            Str("fsType", "File system type to mount."),
            Int("partition", "Partition to mount; zero means the whole disk."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "AzureDiskVolumeSource", Obj("An Azure data disk; deprecated in favour of its CSI driver.",
            Req(Str("diskName", "Name of the disk.")),
            Req(Str("diskURI", "URI of the disk.")),
            Enum("cachingMode", "Host caching mode.", "None", "ReadOnly", "ReadWrite"),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only."),
            Enum("kind", "Disk kind.", "Dedicated", "Managed", "Shared")));
        r.Add(CoreV1 + "AzureFileVolumeSource", Obj("An Azure file share; deprecated in favour of its CSI driver.",
            Req(Str("secretName", "Secret holding the storage account name and key.")),
            Req(Str("shareName", "Name of the share.")),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "CinderVolumeSource", Obj("An OpenStack Cinder volume; deprecated in favour of its CSI driver.",
            Req(Str("volumeID", "ID of the volume.")),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret with OpenStack connection settings.")));
        r.Add(CoreV1 + "CephFSVolumeSource", Obj("A CephFS mount; deprecated.",
            Req(StrList("monitors", "Ceph monitor addresses.")),
            Str("path", "Path within the file system to mount; defaults to /."),
            Str("user", "RADOS user name."),
            Str("secretFile", "Path to the key ring of the user."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret holding the user's key."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "RBDVolumeSource", Obj("A Ceph RADOS block device; deprecated.",
            Req(StrList("monitors", "Ceph monitor addresses.")),
            Req(Str("image", "Name of the RADOS image.")),
            Str("fsType", "File system type to mount."),
            Str("pool", "RADOS pool; defaults to rbd."),
            Str("user", "RADOS user name; defaults to admin."),
            Str("keyring", "Path to the key ring."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret holding the user's key."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "GlusterfsVolumeSource", Obj("A GlusterFS mount; deprecated.",
            Req(Str("endpoints", "Endpoints object naming the Gluster servers.")),
            Req(Str("path", "Gluster volume path.")),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "FCVolumeSource", Obj("A Fibre Channel disk.",
            StrList("targetWWNs", "Target world wide names."),
            Int("lun", "Logical unit number."),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only."),
            StrList("wwids", "Volume world wide identifiers; alternative to targetWWNs with lun.")));
        r.Add(CoreV1 + "FlexVolumeSource", Obj("A volume provided by an exec-based FlexVolume plugin; deprecated.",
            Req(Str("driver", "Name of the plugin driver.")),
            Str("fsType", "File system type to mount."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret passed to the plugin."),
            Bool("readOnly", "Mount read-only."),
            StrMap("options", "Extra plugin-specific options.")));
        r.Add(CoreV1 + "FlockerVolumeSource", Obj("A Flocker dataset; deprecated.",
            Str("datasetName", "Name of the dataset."),
            Str("datasetUUID", "UUID of the dataset.")));
        r.Add(CoreV1 + "VsphereVirtualDiskVolumeSource", Obj("A vSphere virtual disk; deprecated in favour of its CSI driver.",
            Req(Str("volumePath", "Path identifying the disk.")),
            Str("fsType", "File system type to mount."),
            Str("storagePolicyName", "Storage policy based management profile name."),
            Str("storagePolicyID", "Storage policy based management profile ID.")));
        r.Add(CoreV1 + "QuobyteVolumeSource", Obj("A Quobyte mount; deprecated.",
            Req(Str("registry", "Quobyte registry address(es).")),
            Req(Str("volume", "Name of the Quobyte volume.")),
            Bool("readOnly", "Mount read-only."),
            Str("user", "User to map volume access to."),
            Str("group", "Group to map volume access to."),
            Str("tenant", "Tenant owning the volume.")));
        r.Add(CoreV1 + "PhotonPersistentDiskVolumeSource", Obj("A Photon Controller persistent disk; deprecated.",
            Req(Str("pdID", "ID of the disk.")),
            Str("fsType", "File system type to mount.")));
        r.Add(CoreV1 + "PortworxVolumeSource", Obj("A Portworx volume; deprecated in favour of its CSI driver.",
            Req(Str("volumeID", "ID of the volume.")),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "ScaleIOVolumeSource", Obj("A ScaleIO volume; deprecated.",
            Req(Str("gateway", "Address of the ScaleIO API gateway.")),
            Req(Str("system", "Name of the storage system.")),
            Req(Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret with the ScaleIO user's credentials.")),
            Bool("sslEnabled", "Use SSL towards the gateway."),
            Str("protectionDomain", "Protection domain of the storage."),
            Str("storagePool", "Storage pool of the protection domain."),
            Str("storageMode", "ThickProvisioned or ThinProvisioned."),
            Str("volumeName", "Name of an existing volume."),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only.")));
        r.Add(CoreV1 + "StorageOSVolumeSource", Obj("A StorageOS volume; deprecated.",
            Str("volumeName", "Name of the volume within its namespace."),
            Str("volumeNamespace", "StorageOS namespace of the volume."),
            Str("fsType", "File system type to mount."),
            Bool("readOnly", "Mount read-only."),
            Ref("secretRef", CoreV1 + "LocalObjectReference", "Secret with the StorageOS API credentials.")));
    }
}
