package io.vippanel.servers.internal.provider.aws;

import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * What it takes to start an instance in a region: the panel's web security group, the SSH key pair in that region,
 * the image's AMI there, and the {@code RunInstances} call itself.
 */
final class AwsLaunch {

    /** The security group every panel instance joins; the server's own firewall narrows it further. */
    static final String SECURITY_GROUP = "vip-panel-web";
    /** Tag with the user the image lets in, read back by {@code findVm}. */
    static final String LOGIN_USER_TAG = "vip-panel:login-user";
    private static final List<Integer> OPEN_PORTS = List.of(22, 80, 443);

    private final AwsClients clients;
    private final AwsImages images;

    AwsLaunch(AwsClients clients, AwsImages images) {
        this.clients = clients;
        this.images = images;
    }

    /**
     * Starts the instance. The request carries a client token, so that the SDK's retry of an answer lost to a 5xx
     * or a timeout does not start a second instance.
     */
    Instance run(VmSpec spec) {
        Ec2Client ec2 = clients.ec2(spec.region());
        AwsImages.LaunchImage image = images.resolveIn(spec.region(), spec.image());
        String securityGroup = webSecurityGroup(ec2, spec.region());
        List<Tag> tags = new ArrayList<>();
        tags.add(tag("Name", spec.name()));
        spec.labels().forEach((key, value) -> tags.add(tag(key, value)));
        tags.add(tag(LOGIN_USER_TAG, image.loginUser()));
        var request = software.amazon.awssdk.services.ec2.model.RunInstancesRequest.builder()
                .imageId(image.id())
                .instanceType(spec.size())
                .minCount(1)
                .maxCount(1)
                .clientToken(UUID.randomUUID().toString())
                .securityGroupIds(securityGroup)
                .metadataOptions(options -> options.httpTokens(HttpTokensState.REQUIRED))
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
        if (image.rootDeviceName() != null) {
            request.blockDeviceMappings(BlockDeviceMapping.builder()
                    .deviceName(image.rootDeviceName())
                    .ebs(ebs -> ebs.volumeSize(AwsCatalog.ROOT_VOLUME_GB).volumeType(VolumeType.GP3)
                            .deleteOnTermination(true))
                    .build());
        }
        if (!spec.sshKeyIds().isEmpty()) {
            String keyName = spec.sshKeyIds().getFirst();
            ensureKeyPair(ec2, spec.region(), keyName);
            request.keyName(keyName);
        }
        return ec2.runInstances(request.build()).instances().getFirst();
    }

    /**
     * The id of {@value #SECURITY_GROUP} in the region's default VPC, created with SSH, HTTP and HTTPS open to the
     * world (IPv4 and IPv6) when missing.
     */
    private String webSecurityGroup(Ec2Client ec2, String region) {
        String vpcId = ec2.describeVpcs(request -> request.filters(AwsCatalog.filter("is-default", "true")))
                .vpcs().stream().findFirst()
                .orElseThrow(() -> clients.errors().failure(Reason.REJECTED, 400, "VPCIdNotSpecified",
                        "The region " + region + " has no default VPC to start the server in", null, null))
                .vpcId();
        Optional<String> existing = findSecurityGroup(ec2, vpcId);
        if (existing.isPresent()) {
            return existing.get();
        }
        String groupId;
        try {
            groupId = ec2.createSecurityGroup(request -> request.groupName(SECURITY_GROUP).vpcId(vpcId)
                    .description("VIP Hosting Panel servers: SSH, HTTP, HTTPS")).groupId();
        } catch (AwsServiceException failure) {
            if (failure.awsErrorDetails() != null && "InvalidGroup.Duplicate".equals(failure.awsErrorDetails().errorCode())) {
                return findSecurityGroup(ec2, vpcId).orElseThrow(() -> failure);
            }
            throw failure;
        }
        ec2.authorizeSecurityGroupIngress(request -> request.groupId(groupId).ipPermissions(OPEN_PORTS.stream()
                .map(port -> IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
                        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                        .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                        .build())
                .toList()));
        return groupId;
    }

    private static Optional<String> findSecurityGroup(Ec2Client ec2, String vpcId) {
        return ec2.describeSecurityGroups(request -> request.filters(AwsCatalog.filter("vpc-id", vpcId),
                        AwsCatalog.filter("group-name", SECURITY_GROUP)))
                .securityGroups().stream().findFirst().map(group -> group.groupId());
    }

    /**
     * Key pairs are regional: a key uploaded to the default region is copied into the VM's region on first use
     * (its public key is read back from the default region).
     */
    private void ensureKeyPair(Ec2Client ec2, String region, String keyName) {
        if (region.equals(clients.defaultRegion()) || keyExists(ec2, keyName)) {
            return;
        }
        var source = clients.ec2().describeKeyPairs(request -> request.keyNames(keyName).includePublicKey(true))
                .keyPairs().getFirst();
        ec2.importKeyPair(request -> request.keyName(keyName)
                .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromUtf8String(source.publicKey())));
    }

    private static boolean keyExists(Ec2Client ec2, String keyName) {
        try {
            return !ec2.describeKeyPairs(request -> request.keyNames(keyName)).keyPairs().isEmpty();
        } catch (AwsServiceException failure) {
            if (AwsErrors.isNotFound(failure)) {
                return false;
            }
            throw failure;
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
