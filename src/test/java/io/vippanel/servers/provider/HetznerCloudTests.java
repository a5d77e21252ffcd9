package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.hetzner.HetznerCloudFactory;
import io.vippanel.servers.provider.StubServer.Request;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HetznerCloudTests extends ProviderContractTests<HetznerStub> {

    HetznerCloudTests() {
        super(HetznerStub::new, HetznerCloudFactory::new);
    }

    @Test
    void locationsAreRegions() {
        assertThat(provider.regions()).startsWith(new Region("fsn1", "Falkenstein", "DE")).hasSize(5);
        assertThat(provider.verifyCredentials()).isEqualTo("Hetzner Cloud project reachable, 5 locations");
        assertThat(stub.server.requests("GET", "/locations")).extracting(r -> r.query().get("page"))
                .containsExactly(null, "2", "3", null, "2", "3");
    }

    @Test
    void serverTypesAreSizesWithTheLowestNetPrice() {
        List<Size> sizes = provider.sizes();
        assertThat(sizes).extracting(Size::id).containsExactly("cx22", "cx32", "cpx11", "cax11");
        Size cpx11 = sizes.get(2);
        assertThat(cpx11.vcpus()).isEqualTo(2);
        assertThat(cpx11.memoryMb()).isEqualTo(2048);
        assertThat(cpx11.diskGb()).isEqualTo(40);
        assertThat(cpx11.monthlyPrice()).isEqualByComparingTo(new BigDecimal("4.35"));
        assertThat(cpx11.hourlyPrice()).isEqualByComparingTo(new BigDecimal("0.006"));
        assertThat(cpx11.currency()).isEqualTo("EUR");
        assertThat(cpx11.regions()).containsExactly("ash", "fsn1");
        assertThat(sizes.getFirst().memoryMb()).isEqualTo(4096);
    }

    @Test
    void systemImagesAreMappedByName() {
        assertThat(provider.images()).containsExactly(
                new Image("debian-13", OsImage.DEBIAN_13, "Debian 13"),
                new Image("debian-12", OsImage.DEBIAN_12, "Debian 12"),
                new Image("ubuntu-24.04", OsImage.UBUNTU_24_04, "Ubuntu 24.04"),
                new Image("ubuntu-22.04", OsImage.UBUNTU_22_04, "Ubuntu 22.04"));
        assertThat(stub.server.last("GET", "/images").query()).containsEntry("type", "system");
    }

    @Test
    void aKeyIsSentAsNameAndPublicKey() {
        var key = provider.uploadSshKey("vip-panel-7", " ssh-ed25519 AAAAC3Nza vip@panel\n");
        assertThat(key.fingerprint()).isEqualTo("b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f");
        Request request = stub.server.last("POST", "/ssh_keys");
        assertThat(request.body().path("name").asString()).isEqualTo("vip-panel-7");
        assertThat(request.body().path("public_key").asString()).isEqualTo("ssh-ed25519 AAAAC3Nza vip@panel");
        ProviderException e = failure(Reason.REJECTED, () -> provider.uploadSshKey("vip-panel-7", "ssh-ed25519 AAAA"));
        assertThat(e.userMessage()).isEqualTo("Hetzner Cloud: SSH key with the same name already exists (uniqueness_error)");
    }

    @Test
    void aServerIsCreatedWithNumericKeyIdsAndValidLabels() {
        Vm vm = provider.createVm(stub.spec());
        Request request = stub.server.last("POST", "/servers");
        assertThat(request.body().path("server_type").asString()).isEqualTo("cx22");
        assertThat(request.body().path("location").asString()).isEqualTo("fsn1");
        assertThat(request.body().path("image").asString()).isEqualTo("ubuntu-24.04");
        assertThat(request.body().path("ssh_keys").get(0).isNumber()).isTrue();
        assertThat(request.body().path("ssh_keys").get(0).asLong()).isEqualTo(4711);
        assertThat(request.body().path("labels").path("vip-server").asString()).isEqualTo("42");
        assertThat(request.body().path("labels").path("owner").asString()).isEqualTo("Anna-s-shop");
        assertThat(vm.ipv4()).startsWith("116.203.1.");
        assertThat(vm.state()).isEqualTo(io.vippanel.servers.internal.provider.VmState.STARTING);
    }

    @Test
    void theIpv6NetworkGivesTheServersFirstAddress() {
        Vm vm = createRunningVm();
        assertThat(vm.ipv6()).isEqualTo("2a01:4f8:1c1c:abcd::1");
        assertThat(vm.ipv4()).startsWith("116.203.1.");
    }

    @Test
    void aResizePowersOffChangesTheTypeKeepingTheDiskAndPowersOn() {
        Vm vm = createRunningVm();
        provider.resize(vm.id(), "cx32");
        assertThat(stub.server.requests()).filteredOn(r -> r.method().equals("POST"))
                .extracting(Request::path)
                .containsSubsequence("/servers/" + vm.id() + "/actions/poweroff",
                        "/servers/" + vm.id() + "/actions/change_type", "/servers/" + vm.id() + "/actions/poweron");
        Request change = stub.server.last("POST", ".*/change_type");
        assertThat(change.body().path("server_type").asString()).isEqualTo("cx32");
        assertThat(change.body().path("upgrade_disk").asBoolean()).isFalse();
    }

    @Test
    void aFailedActionSaysWhatHetznerSays() {
        Vm vm = createRunningVm();
        stub.nextActionFailure = "server is locked by another action";
        ProviderException e = failure(Reason.ACTION_FAILED, () -> provider.reboot(vm.id()));
        assertThat(e.getMessage()).contains("reboot action").endsWith("failed: server is locked by another action");
        assertThat(e.providerCode()).isEqualTo("action_failed");
    }

    @Test
    void anActionThatNeverEndsTimesOut() {
        Vm vm = createRunningVm();
        stub.actionPolls = Integer.MAX_VALUE;
        var slow = connect(settings(Duration.ofMillis(100)), ProviderStub.TOKEN);
        ProviderException e = failure(Reason.ACTION_FAILED, () -> slow.powerOff(vm.id()));
        assertThat(e.getMessage()).contains("did not finish within");
    }

    @Test
    void anExceededResourceLimitIsARejectionNotACredentialsProblem() {
        stub.server.failNext(stub.error(403, "resource_limit_exceeded", "server limit exceeded"));
        ProviderException e = failure(Reason.REJECTED, () -> provider.createVm(stub.spec()));
        assertThat(e.getMessage()).isEqualTo("server limit exceeded");
    }

    @Test
    void aRetryAfterDateIsWaitedFor() {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        stub.server.failNext(stub.error(429, "rate_limit_exceeded", "limit reached").withHeader("Retry-After", inTwoSeconds));
        long started = System.nanoTime();
        provider.verifyCredentials();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
}
