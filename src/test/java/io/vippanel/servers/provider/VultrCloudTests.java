package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmState;
import io.vippanel.servers.internal.provider.vultr.VultrCloudFactory;
import io.vippanel.servers.provider.StubServer.Request;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VultrCloudTests extends ProviderContractTests<VultrStub> {

    VultrCloudTests() {
        super(VultrStub::new, VultrCloudFactory::new);
    }

    @Test
    void theAccountIsVerified() {
        assertThat(provider.verifyCredentials()).isEqualTo("Vultr account reachable (Example Account)");
    }

    @Test
    void regionsAreReadCursorByCursor() {
        assertThat(provider.regions()).startsWith(new Region("ewr", "New Jersey", "US")).hasSize(5);
        assertThat(stub.server.requests("GET", "/regions")).extracting(r -> r.query().get("cursor"))
                .containsExactly(null, "bmV4dF9fMg==", "bmV4dF9fNA==");
    }

    @Test
    void plansAreSizesAndAMissingHourlyPriceStaysUnknown() {
        List<Size> sizes = provider.sizes();
        assertThat(sizes).extracting(Size::id).containsExactly("vc2-1c-1gb", "vc2-2c-4gb", "vhf-1c-1gb");
        Size small = sizes.getFirst();
        assertThat(small.vcpus()).isEqualTo(1);
        assertThat(small.memoryMb()).isEqualTo(1024);
        assertThat(small.diskGb()).isEqualTo(25);
        assertThat(small.monthlyPrice()).isEqualByComparingTo(new BigDecimal("5"));
        assertThat(small.hourlyPrice()).isEqualByComparingTo(new BigDecimal("0.007"));
        assertThat(small.currency()).isEqualTo("USD");
        assertThat(small.regions()).containsExactly("ewr", "ams", "fra");
        assertThat(sizes.get(2).hourlyPrice()).isNull();
        assertThat(sizes.get(2).monthlyPrice()).isEqualByComparingTo(new BigDecimal("6"));
    }

    @Test
    void x64OperatingSystemsAreMappedByFamilyAndName() {
        assertThat(provider.images()).extracting(Image::id, Image::os, Image::name).containsExactly(
                tuple("2625", OsImage.DEBIAN_13, "Debian 13 x64 (trixie)"),
                tuple("2136", OsImage.DEBIAN_12, "Debian 12 x64 (bookworm)"),
                tuple("2284", OsImage.UBUNTU_24_04, "Ubuntu 24.04 LTS x64"),
                tuple("1743", OsImage.UBUNTU_22_04, "Ubuntu 22.04 LTS x64"));
    }

    @Test
    void aKeyGetsItsOpenSshFingerprint() {
        var key = provider.uploadSshKey("vip-panel-7",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqUSNXPbQKzGrbOLTF7sqXAB5bNDHtLL0HWrdFrw8J vip@panel");
        assertThat(key.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
        Request request = stub.server.last("POST", "/ssh-keys");
        assertThat(request.body().path("name").asString()).isEqualTo("vip-panel-7");
        assertThat(request.body().path("ssh_key").asString()).startsWith("ssh-ed25519 AAAAC3");
        assertThatThrownBy(() -> provider.uploadSshKey("broken", "not a key!"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInstanceIsCreatedWithOsIdKeysAndLabelsAsTags() {
        Vm vm = provider.createVm(stub.spec());
        Request request = stub.server.last("POST", "/instances");
        assertThat(request.body().path("region").asString()).isEqualTo("fra");
        assertThat(request.body().path("plan").asString()).isEqualTo("vc2-1c-1gb");
        assertThat(request.body().path("os_id").isInt()).isTrue();
        assertThat(request.body().path("os_id").asInt()).isEqualTo(2284);
        assertThat(request.body().path("label").asString()).isEqualTo("web-1");
        assertThat(request.body().path("hostname").asString()).isEqualTo("web-1");
        assertThat(request.body().path("sshkey_id").get(0).asString()).isEqualTo("3b8066a7-b438-455a-9688-44afc9a3597f");
        assertThat(request.body().path("tags").valueStream().map(n -> n.asString()))
                .containsExactly("owner:Anna-s-shop", "vip-server:42");
        assertThat(vm.ipv4()).as("0.0.0.0 means not assigned yet").isNull();
        assertThat(vm.ipv6()).isNull();
        assertThat(vm.state()).isEqualTo(VmState.STARTING);
    }

    @Test
    void theInstancesAddressesAreTakenOnceAssigned() {
        Vm vm = createRunningVm();
        assertThat(vm.ipv4()).startsWith("45.77.1.");
        assertThat(vm.ipv6()).isEqualTo("2001:19f0:6c01:1b8f:5400:04ff:fe2b:1234");
    }

    @Test
    void powerChangesUseTheBulkEndpointsAndWaitForTheInstance() {
        Vm vm = createRunningVm();
        provider.powerOff(vm.id());
        Request halt = stub.server.last("POST", "/instances/halt");
        assertThat(halt.body().path("instance_ids").get(0).asString()).isEqualTo(vm.id());
        assertThat(provider.findVm(vm.id()).orElseThrow().state()).isEqualTo(VmState.OFF);
        provider.powerOn(vm.id());
        assertThat(stub.server.last("POST", "/instances/start").body().path("instance_ids").get(0).asString())
                .isEqualTo(vm.id());
    }

    @Test
    void aResizePatchesThePlanAndWaitsUntilItShows() {
        Vm vm = createRunningVm();
        stub.actionPolls = 4;
        int before = stub.polls();
        provider.resize(vm.id(), "vc2-2c-4gb");
        assertThat(stub.server.last("PATCH", "/instances/[\\w-]+").body().path("plan").asString()).isEqualTo("vc2-2c-4gb");
        assertThat(stub.polls() - before).isGreaterThanOrEqualTo(4);
        assertThat(stub.server.requests("POST", "/instances/halt")).isEmpty();
    }

    @Test
    void aResizeThatNeverShowsFailsAfterTheActionTimeout() {
        Vm vm = createRunningVm();
        stub.nextActionFailure = "stuck";
        var impatient = connect(settings(Duration.ofMillis(150)), ProviderStub.TOKEN);
        ProviderException e = failure(Reason.ACTION_FAILED, () -> impatient.resize(vm.id(), "vc2-2c-4gb"));
        assertThat(e.getMessage()).isEqualTo("resize to vc2-2c-4gb of instance " + vm.id() + " did not finish within PT0.15S");
    }

    @Test
    void idsThatCannotBeVultrIdsNeverReachAPath() {
        assertThatThrownBy(() -> provider.findVm("../account")).isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.server.requests()).isEmpty();
    }
}
