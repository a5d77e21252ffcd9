package io.vippanel.servers.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.ProviderSshKey;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.internal.provider.VmState;
import io.vippanel.servers.internal.provider.aws.AwsCloudFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AWS client against a local EC2 and Price List stub: every operation, and how AWS's failures come out. */
class AwsCloudTests {

    static final String ACCESS_KEY = "AKIATESTKEY0000001";
    static final String SECRET = "s3cr3t/Secret+Access+Key0000000000000000";
    static final String PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBfakefakefakefakefakefakefakefakefake panel";
    static final int MAX_RETRIES = 2;

    final List<AwsCloudFactory> factories = new ArrayList<>();
    Ec2Stub stub;
    CloudProvider aws;

    @BeforeEach
    void start() throws Exception {
        stub = new Ec2Stub();
        aws = connect(stub.endpoint(), stub.endpoint());
    }

    @AfterEach
    void stop() {
        factories.forEach(AwsCloudFactory::close);
        stub.close();
    }

    static VipProperties.Providers settings(String endpoint, String pricingEndpoint) {
        return new VipProperties.Providers("http://unused", "http://unused", "http://unused", endpoint, pricingEndpoint,
                Duration.ofSeconds(5), MAX_RETRIES, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(5),
                Duration.ofMillis(300), Duration.ofMinutes(10));
    }

    CloudProvider connect(String endpoint, String pricingEndpoint) {
        AwsCloudFactory factory = new AwsCloudFactory(settings(endpoint, pricingEndpoint));
        factories.add(factory);
        return factory.connect(new ProviderCredentials.AwsKeys(ACCESS_KEY, SECRET, "eu-central-1"));
    }

    @Test
    void verifiesCredentialsWithTheDefaultRegion() {
        assertThat(aws.kind()).isEqualTo(ProviderKind.AWS);
        assertThat(aws.verifyCredentials()).isEqualTo("AWS account reachable, 3 regions");
        Ec2Stub.Call call = stub.last("DescribeRegions");
        assertThat(call.region()).isEqualTo("eu-central-1");
        assertThat(call.accessKey()).isEqualTo(ACCESS_KEY);
        assertThat(call.param("Version")).isEqualTo("2016-11-15");
    }

    @Test
    void listsRegionsWithNames() {
        assertThat(aws.regions()).containsExactly(new Region("eu-central-1", "Europe (Frankfurt)", "DE"),
                new Region("eu-west-1", "Europe (Ireland)", "IE"), new Region("us-east-1", "US East (N. Virginia)", "US"));
    }

    @Test
    void listsSizesOfTheChosenFamiliesOverSeveralPagesWithPrices() {
        List<Size> sizes = aws.sizes();

        assertThat(sizes).extracting(Size::id).containsExactly("t3.nano", "t3.micro", "t3.small", "t3.medium",
                "t3a.small", "m6i.large", "m7i.large", "c6i.large", "c7i.xlarge");
        List<Ec2Stub.Call> pages = stub.calls("DescribeInstanceTypes");
        assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(pages.get(1).param("NextToken")).isEqualTo("4");
        assertThat(Ec2Stub.filter(pages.getFirst().params(), "instance-type"))
                .containsExactly("t3.*", "t3a.*", "m6i.*", "m7i.*", "c6i.*", "c7i.*");
        assertThat(Ec2Stub.filter(pages.getFirst().params(), "current-generation")).containsExactly("true");

        Size micro = sizes.get(1);
        assertThat(micro.vcpus()).isEqualTo(2);
        assertThat(micro.memoryMb()).isEqualTo(1024);
        assertThat(micro.diskGb()).isEqualTo(30);
        assertThat(micro.hourlyPrice()).isEqualByComparingTo("0.012");
        assertThat(micro.monthlyPrice()).isEqualByComparingTo("8.76");
        assertThat(micro.currency()).isEqualTo("USD");
        assertThat(micro.regions()).containsExactly("eu-central-1");
        assertThat(micro.description()).contains("t3.micro", "2 vCPU", "1 GiB");
        Size unpriced = sizes.getLast();
        assertThat(unpriced.hourlyPrice()).isNull();
        assertThat(unpriced.monthlyPrice()).isNull();

        List<Ec2Stub.Call> priceCalls = stub.calls("GetProducts");
        assertThat(priceCalls).hasSize(2);
        Ec2Stub.Call pricing = priceCalls.getFirst();
        assertThat(pricing.headers().get("content-type")).startsWith("application/x-amz-json-1.1");
        assertThat(pricing.region()).isEqualTo("us-east-1");
        assertThat(pricing.headers().get("authorization")).contains("/pricing/aws4_request");
        assertThat(pricing.body()).contains("\"ServiceCode\":\"AmazonEC2\"", "\"Field\":\"regionCode\"",
                "\"Value\":\"eu-central-1\"", "\"Value\":\"Linux\"", "\"Value\":\"Shared\"", "\"capacitystatus\"");
        assertThat(priceCalls.get(1).body()).contains("\"NextToken\":\"page-2\"");
    }

    @Test
    void sizesHaveNoPricesWhenThePriceListRefuses() {
        stub.failAlways("GetProducts", 400, "AccessDeniedException",
                "User is not authorized to perform: pricing:GetProducts");

        List<Size> sizes = aws.sizes();

        assertThat(sizes).hasSize(9).allSatisfy(size -> {
            assertThat(size.hourlyPrice()).isNull();
            assertThat(size.monthlyPrice()).isNull();
        });
        assertThat(stub.calls("GetProducts")).hasSize(1);
    }

    @Test
    void sizesHaveNoPricesWhenThePriceListIsDown() {
        stub.failAlways("GetProducts", 503, "ServiceUnavailableException", "down");

        assertThat(aws.sizes()).extracting(Size::hourlyPrice).containsOnlyNulls();
        assertThat(stub.calls("GetProducts")).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void listsTheNewestOfficialImagePerSystem() {
        List<Image> images = aws.images();

        assertThat(images).extracting(Image::os).containsExactly(OsImage.UBUNTU_24_04, OsImage.DEBIAN_13,
                OsImage.UBUNTU_22_04, OsImage.DEBIAN_12);
        assertThat(images.get(2).id()).isEqualTo(stub.image("eu-central-1", "jammy-22.04-amd64-server-2026").id());
        assertThat(images.get(2).name()).contains("ubuntu-jammy-22.04");
        assertThat(stub.calls("DescribeImages")).extracting(call -> call.list("Owner"))
                .containsExactly(List.of("099720109477"), List.of("136693071363"));
    }

    @Test
    void uploadsAndDeletesKeysInEveryRegion() {
        ProviderSshKey key = aws.uploadSshKey("vip-panel-srv_1", PUBLIC_KEY);

        assertThat(key.id()).isEqualTo("vip-panel-srv_1");
        assertThat(key.fingerprint()).startsWith("SHA256:");
        assertThat(stub.keyPairs.get("eu-central-1")).containsEntry("vip-panel-srv_1", PUBLIC_KEY);

        stub.keyPairs.get("us-east-1").put("vip-panel-srv_1", PUBLIC_KEY);
        aws.deleteSshKey(key.id());
        assertThat(stub.keyPairs.values()).allSatisfy(keys -> assertThat(keys).isEmpty());
        assertThat(stub.calls("DeleteKeyPair")).extracting(Ec2Stub.Call::region)
                .containsExactlyInAnyOrderElementsOf(Ec2Stub.REGIONS);

        aws.deleteSshKey(key.id());
    }

    @Test
    void createsAVmWithTheWebSecurityGroupAndTags() {
        aws.uploadSshKey("panel-key", PUBLIC_KEY);
        String ami = stub.image("eu-central-1", "noble").id();

        Vm vm = aws.createVm(new VmSpec("web1", "eu-central-1", "t3.small", ami, List.of("panel-key"),
                Map.of("vip-server", "srv_abc")));

        assertThat(vm.id()).matches("eu-central-1/i-0[0-9a-f]+abc");
        assertThat(vm.name()).isEqualTo("web1");
        assertThat(vm.state()).isEqualTo(VmState.STARTING);
        assertThat(vm.region()).isEqualTo("eu-central-1");
        assertThat(vm.size()).isEqualTo("t3.small");
        assertThat(vm.loginUser()).isEqualTo("ubuntu");
        assertThat(vm.ipv4()).isNull();

        Ec2Stub.Call run = stub.last("RunInstances");
        assertThat(run.region()).isEqualTo("eu-central-1");
        assertThat(run.params()).containsEntry("ImageId", ami).containsEntry("InstanceType", "t3.small")
                .containsEntry("KeyName", "panel-key").containsEntry("MinCount", "1").containsEntry("MaxCount", "1")
                .containsEntry("SecurityGroupId.1", stub.securityGroups.get("eu-central-1"))
                .containsEntry("BlockDeviceMapping.1.DeviceName", "/dev/sda1")
                .containsEntry("BlockDeviceMapping.1.Ebs.VolumeSize", "30")
                .containsEntry("BlockDeviceMapping.1.Ebs.VolumeType", "gp3")
                .containsEntry("MetadataOptions.HttpTokens", "required")
                .containsEntry("TagSpecification.1.ResourceType", "instance");
        assertThat(stub.instances.values().iterator().next().tags).containsEntry("Name", "web1")
                .containsEntry("vip-server", "srv_abc").containsEntry("vip-panel:login-user", "ubuntu");

        Ec2Stub.Call group = stub.last("CreateSecurityGroup");
        assertThat(group.params()).containsEntry("GroupName", "vip-panel-web").containsEntry("VpcId", "vpc-eu-central-1");
        Map<String, String> ingress = stub.last("AuthorizeSecurityGroupIngress").params();
        assertThat(List.of(ingress.get("IpPermissions.1.FromPort"), ingress.get("IpPermissions.2.FromPort"),
                ingress.get("IpPermissions.3.FromPort"))).containsExactly("22", "80", "443");
        assertThat(ingress).containsEntry("IpPermissions.1.IpProtocol", "tcp")
                .containsEntry("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")
                .containsEntry("IpPermissions.3.Ipv6Ranges.1.CidrIpv6", "::/0");

        aws.createVm(new VmSpec("web2", "eu-central-1", "t3.small", ami, List.of("panel-key"), Map.of()));
        assertThat(stub.calls("CreateSecurityGroup")).hasSize(1);
        assertThat(stub.calls("RunInstances")).hasSize(2);
    }

    @Test
    void createsAVmInAnotherRegionWithThatRegionsImageAndACopyOfTheKey() {
        aws.uploadSshKey("panel-key", PUBLIC_KEY);
        String frankfurtDebian = stub.image("eu-central-1", "debian-12").id();

        Vm vm = aws.createVm(new VmSpec("db1", "eu-west-1", "m6i.large", frankfurtDebian, List.of("panel-key"), Map.of()));

        assertThat(vm.id()).startsWith("eu-west-1/i-");
        assertThat(vm.loginUser()).isEqualTo("admin");
        Ec2Stub.Call run = stub.last("RunInstances");
        assertThat(run.region()).isEqualTo("eu-west-1");
        assertThat(run.params()).containsEntry("ImageId", stub.image("eu-west-1", "debian-12").id())
                .containsEntry("BlockDeviceMapping.1.DeviceName", "/dev/xvda");
        assertThat(stub.keyPairs.get("eu-west-1")).containsEntry("panel-key", PUBLIC_KEY);
        assertThat(stub.securityGroups).containsKey("eu-west-1");
    }

    @Test
    void findsAVmAsItStarts() {
        Vm created = createVm();

        Vm starting = aws.findVm(created.id()).orElseThrow();
        assertThat(starting.state()).isEqualTo(VmState.STARTING);
        Vm running = aws.findVm(created.id()).orElseThrow();
        assertThat(running.state()).isEqualTo(VmState.RUNNING);
        assertThat(running.ipv4()).startsWith("203.0.113.");
        assertThat(running.ipv6()).startsWith("2001:db8::");
        assertThat(running.loginUser()).isEqualTo("ubuntu");
        assertThat(stub.last("DescribeInstances").param("InstanceId.1")).isEqualTo(created.id().substring(13));
    }

    @Test
    void findsNoVmThatAwsDoesNotKnow() {
        assertThat(aws.findVm("eu-central-1/i-0123456789abcdef0")).isEmpty();
        Vm created = createVm();
        assertThat(aws.findVm("us-east-1/" + created.id().substring(13))).isEmpty();
    }

    @Test
    void rejectsAVmIdWithoutRegion() {
        assertThatThrownBy(() -> aws.findVm("i-0123456789abcdef0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region/instance-id");
    }

    @Test
    void readsTheLoginUserFromTheImageOfAnUntaggedInstance() {
        Vm created = createVm();
        stub.instances.values().forEach(instance -> instance.tags.remove("vip-panel:login-user"));

        assertThat(aws.findVm(created.id()).orElseThrow().loginUser()).isEqualTo("ubuntu");
        assertThat(stub.last("DescribeImages").param("ImageId.1")).isEqualTo(stub.image("eu-central-1", "noble").id());
    }

    @Test
    void powersOffAndOnWaitingForEachState() {
        Vm vm = createVm();

        aws.powerOff(vm.id());
        assertThat(aws.findVm(vm.id()).orElseThrow().state()).isEqualTo(VmState.OFF);
        assertThat(stub.last("StopInstances").param("InstanceId.1")).isEqualTo(vm.id().substring(13));

        aws.powerOn(vm.id());
        assertThat(aws.findVm(vm.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        assertThat(stub.calls("StartInstances")).hasSize(1);
    }

    @Test
    void rebootsAVm() {
        Vm vm = createVm();

        aws.reboot(vm.id());

        assertThat(stub.last("RebootInstances").param("InstanceId.1")).isEqualTo(vm.id().substring(13));
    }

    @Test
    void resizesAStoppedVmAndStartsItAgain() {
        Vm vm = createVm();

        aws.resize(vm.id(), "t3.large");

        assertThat(stub.calls).extracting(Ec2Stub.Call::action)
                .containsSubsequence("StopInstances", "ModifyInstanceAttribute", "StartInstances");
        assertThat(stub.last("ModifyInstanceAttribute").params()).containsEntry("InstanceType.Value", "t3.large");
        Vm resized = aws.findVm(vm.id()).orElseThrow();
        assertThat(resized.size()).isEqualTo("t3.large");
        assertThat(resized.state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void aRefusedResizeStartsTheVmAgain() {
        Vm vm = createVm();
        stub.failNext("ModifyInstanceAttribute", 1, 400, "InvalidParameterValue",
                "The instance type 't3.huge' is not supported.");

        ProviderException refused = catchThrowableOfType(ProviderException.class, () -> aws.resize(vm.id(), "t3.huge"));

        assertThat(refused.reason()).isEqualTo(Reason.REJECTED);
        assertThat(stub.calls("StartInstances")).hasSize(1);
    }

    @Test
    void anInstanceThatDoesNotStopInTimeFailsTheAction() {
        Vm vm = createVm();
        stub.stuckState = "stopping";

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> aws.powerOff(vm.id()));

        assertThat(failure.reason()).isEqualTo(Reason.ACTION_FAILED);
        assertThat(failure.getMessage()).contains("still stopping", "expected stopped");
    }

    @Test
    void deletesAVmAndToleratesAMissingOne() {
        Vm vm = createVm();

        aws.deleteVm(vm.id());
        assertThat(stub.last("TerminateInstances").param("InstanceId.1")).isEqualTo(vm.id().substring(13));
        assertThat(aws.findVm(vm.id()).orElseThrow().state()).isEqualTo(VmState.DELETING);

        aws.deleteVm("eu-central-1/i-0123456789abcdef0");
    }

    @Test
    void anAuthFailureIsUnauthorizedWithAwsMessage() {
        stub.failAlways("DescribeRegions", 401, "AuthFailure", "AWS was not able to validate the provided access credentials");

        ProviderException failure = catchThrowableOfType(ProviderException.class, aws::verifyCredentials);

        assertThat(failure.reason()).isEqualTo(Reason.UNAUTHORIZED);
        assertThat(failure.provider()).isEqualTo(ProviderKind.AWS);
        assertThat(failure.httpStatus()).isEqualTo(401);
        assertThat(failure.providerCode()).isEqualTo("AuthFailure");
        assertThat(failure.getMessage()).isEqualTo("AWS was not able to validate the provided access credentials");
        assertThat(failure.requestId()).isNotBlank();
        assertThat(failure.userMessage()).startsWith("AWS EC2: AWS was not able").contains("(AuthFailure)");
        assertThat(stub.calls("DescribeRegions")).hasSize(1);
    }

    @Test
    void credentialsNeverAppearInMessages() {
        stub.failAlways("DescribeRegions", 403, "SignatureDoesNotMatch", "The request signature we calculated does "
                + "not match the signature you provided. Credential=" + ACCESS_KEY + " secret " + SECRET);

        ProviderException failure = catchThrowableOfType(ProviderException.class, aws::regions);

        assertThat(failure.reason()).isEqualTo(Reason.UNAUTHORIZED);
        assertThat(failure.userMessage()).contains("signature we calculated").doesNotContain(SECRET)
                .doesNotContain(ACCESS_KEY);
        assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain(ACCESS_KEY);
        assertThat(String.valueOf(new ProviderCredentials.AwsKeys(ACCESS_KEY, SECRET, null))).doesNotContain(SECRET);
    }

    @Test
    void anUnauthorizedOperationIsUnauthorized() {
        aws.uploadSshKey("panel-key", PUBLIC_KEY);
        stub.failAlways("RunInstances", 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> createVm());

        assertThat(failure.reason()).isEqualTo(Reason.UNAUTHORIZED);
    }

    @Test
    void anInvalidParameterIsRejectedWithAwsMessage() {
        stub.failAlways("RunInstances", 400, "InvalidParameterValue", "Invalid value 't9.mega' for InstanceType.");

        ProviderException failure = catchThrowableOfType(ProviderException.class, this::createVm);

        assertThat(failure.reason()).isEqualTo(Reason.REJECTED);
        assertThat(failure.getMessage()).isEqualTo("Invalid value 't9.mega' for InstanceType.");
        assertThat(failure.providerCode()).isEqualTo("InvalidParameterValue");
        assertThat(stub.calls("RunInstances")).hasSize(1);
    }

    @Test
    void aRetriedCreateAfterALostAnswerStartsOneInstance() {
        stub.loseNextAnswer("RunInstances");

        Vm vm = createVm();

        List<Ec2Stub.Call> runs = stub.calls("RunInstances");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).param("ClientToken")).isNotBlank().isEqualTo(runs.get(1).param("ClientToken"));
        assertThat(stub.instances).hasSize(1).containsKey(vm.id().substring(13));
    }

    @ParameterizedTest
    @CsvSource({"500", "400"})
    void missingCapacityIsRejectedWhateverTheStatus(int status) {
        stub.failAlways("RunInstances", status, "InsufficientInstanceCapacity",
                "We currently do not have sufficient t3.small capacity in the Availability Zone you requested.");

        ProviderException failure = catchThrowableOfType(ProviderException.class, this::createVm);

        assertThat(failure.reason()).isEqualTo(Reason.REJECTED);
        assertThat(failure.getMessage()).contains("sufficient t3.small capacity");
        assertThat(failure.userMessage()).contains("(InsufficientInstanceCapacity)");
    }

    @Test
    void anUnknownImageIsRejected() {
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> aws.createVm(
                new VmSpec("web1", "eu-west-1", "t3.small", "ami-0000000000deadbee", List.of(), Map.of())));

        assertThat(failure.reason()).isEqualTo(Reason.REJECTED);
        assertThat(failure.getMessage()).contains("ami-0000000000deadbee", "eu-west-1");
        assertThat(stub.calls("RunInstances")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"503, RequestLimitExceeded, Request limit exceeded.", "500, InternalError, An internal error has occurred"})
    void aPassingFailureIsRetried(int status, String code, String message) {
        stub.failNext("DescribeRegions", 1, status, code, message);

        assertThat(aws.regions()).hasSize(3);
        assertThat(stub.calls("DescribeRegions")).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource({"503, RequestLimitExceeded, Request limit exceeded., RATE_LIMITED",
            "400, Throttling, Rate exceeded, RATE_LIMITED",
            "500, InternalError, An internal error has occurred, UNAVAILABLE",
            "503, Unavailable, The server is overloaded, UNAVAILABLE"})
    void aPersistingFailureIsGivenUpAfterTheRetries(int status, String code, String message, Reason reason) {
        stub.failAlways("DescribeRegions", status, code, message);

        ProviderException failure = catchThrowableOfType(ProviderException.class, aws::verifyCredentials);

        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.httpStatus()).isEqualTo(status);
        assertThat(failure.providerCode()).isEqualTo(code);
        assertThat(failure.getMessage()).isEqualTo(message);
        assertThat(stub.calls("DescribeRegions")).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void anActionOnAMissingVmIsNotFound() {
        ProviderException failure = catchThrowableOfType(ProviderException.class,
                () -> aws.reboot("eu-central-1/i-0123456789abcdef0"));

        assertThat(failure.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(failure.providerCode()).isEqualTo("InvalidInstanceID.NotFound");
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String closed = "http://127.0.0.1:" + port;
        CloudProvider unreachable = connect(closed, closed);

        ProviderException failure = catchThrowableOfType(ProviderException.class, unreachable::verifyCredentials);

        assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure.httpStatus()).isZero();
        assertThat(failure.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void takesOnlyAwsKeys() {
        try (AwsCloudFactory factory = new AwsCloudFactory(settings(null, null))) {
            assertThatThrownBy(() -> factory.connect(new ProviderCredentials.ApiToken("t")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(factory.kind()).isEqualTo(ProviderKind.AWS);
        }
    }

    private Vm createVm() {
        String ami = stub.image("eu-central-1", "noble").id();
        return aws.createVm(new VmSpec("web1", "eu-central-1", "t3.small", ami, List.of(), Map.of()));
    }

}
