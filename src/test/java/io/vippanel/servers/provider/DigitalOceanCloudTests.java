package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanCloudFactory;
import io.vippanel.servers.provider.StubServer.Request;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitalOceanCloudTests extends ProviderContractTests<DigitalOceanStub> {

    DigitalOceanCloudTests() {
        super(DigitalOceanStub::new, DigitalOceanCloudFactory::new);
    }

    @Test
    void theAccountIsVerified() {
        assertThat(provider.verifyCredentials()).isEqualTo("DigitalOcean account reachable (status active, droplet limit 25)");
        assertThat(stub.server.requests()).extracting(Request::path).containsExactly("/account");
    }

    @Test
    void availableRegionsAreReadPageByPageFromTheNextLinks() {
        assertThat(provider.regions()).containsExactly(new Region("nyc3", "New York 3", "US"),
                new Region("ams3", "Amsterdam 3", "NL"), new Region("fra1", "Frankfurt 1", "DE"),
                new Region("lon1", "London 1", "GB"));
        assertThat(stub.server.requests("GET", "/regions")).extracting(r -> r.query().get("page"))
                .containsExactly(null, "2", "3");
    }

    @Test
    void availableSizesCarryUsdPricesAndRegions() {
        List<Size> sizes = provider.sizes();
        assertThat(sizes).extracting(Size::id).containsExactly("s-1vcpu-1gb", "s-2vcpu-2gb", "g-2vcpu-8gb");
        Size small = sizes.getFirst();
        assertThat(small.vcpus()).isEqualTo(1);
        assertThat(small.memoryMb()).isEqualTo(1024);
        assertThat(small.diskGb()).isEqualTo(25);
        assertThat(small.monthlyPrice()).isEqualByComparingTo(new BigDecimal("6.0"));
        assertThat(small.hourlyPrice()).isEqualByComparingTo(new BigDecimal("0.00893"));
        assertThat(small.currency()).isEqualTo("USD");
        assertThat(small.offeredIn("lon1")).isTrue();
    }

    @Test
    void distributionImagesAreMappedBySlug() {
        assertThat(provider.images()).extracting(Image::id, Image::os).containsExactly(
                org.assertj.core.groups.Tuple.tuple("debian-13-x64", OsImage.DEBIAN_13),
                org.assertj.core.groups.Tuple.tuple("debian-12-x64", OsImage.DEBIAN_12),
                org.assertj.core.groups.Tuple.tuple("ubuntu-24-04-x64", OsImage.UBUNTU_24_04),
                org.assertj.core.groups.Tuple.tuple("ubuntu-22-04-x64", OsImage.UBUNTU_22_04));
        assertThat(provider.images().get(2).name()).isEqualTo("Ubuntu 24.04 (LTS) x64");
        assertThat(stub.server.last("GET", "/images").query()).containsEntry("type", "distribution");
    }

    @Test
    void aKeyAlreadyInUseIsRejectedWithTheRequestId() {
        provider.uploadSshKey("vip-panel-7", "ssh-ed25519 AAAA vip@panel");
        Request request = stub.server.last("POST", "/account/keys");
        assertThat(request.body().path("public_key").asString()).isEqualTo("ssh-ed25519 AAAA vip@panel");
        ProviderException e = failure(Reason.REJECTED, () -> provider.uploadSshKey("vip-panel-7", "ssh-ed25519 AAAA"));
        assertThat(e.userMessage()).isEqualTo("DigitalOcean: SSH Key is already in use on your account "
                + "(unprocessable_entity) [request 4d9d8375-3c56-4925-a3e7-eb137fed17e9]");
    }

    @Test
    void aDropletIsCreatedWithNumericKeysIpv6AndLabelsAsTags() {
        provider.createVm(stub.spec());
        Request request = stub.server.last("POST", "/droplets");
        assertThat(request.body().path("size").asString()).isEqualTo("s-1vcpu-1gb");
        assertThat(request.body().path("region").asString()).isEqualTo("fra1");
        assertThat(request.body().path("image").asString()).isEqualTo("ubuntu-24-04-x64");
        assertThat(request.body().path("ssh_keys").get(0).asLong()).isEqualTo(512189);
        assertThat(request.body().path("ipv6").asBoolean()).isTrue();
        assertThat(request.body().path("tags").valueStream().map(n -> n.asString()))
                .containsExactly("owner:Anna-s-shop", "vip-server:42");
    }

    @Test
    void theDropletsPublicAddressesAreTaken() {
        Vm vm = createRunningVm();
        assertThat(vm.ipv4()).startsWith("164.92.1.");
        assertThat(vm.ipv6()).isEqualTo("2a03:b0c0:3:d0::1a:7001");
    }

    @Test
    void aResizeKeepsTheDiskAndRunsWhileTheDropletIsOff() {
        Vm vm = createRunningVm();
        provider.resize(vm.id(), "s-2vcpu-2gb");
        assertThat(stub.server.requests("POST", "/droplets/\\d+/actions"))
                .extracting(r -> r.body().path("type").asString())
                .containsExactly("power_off", "resize", "power_on");
        Request resize = stub.server.requests("POST", "/droplets/\\d+/actions").get(1);
        assertThat(resize.body().path("size").asString()).isEqualTo("s-2vcpu-2gb");
        assertThat(resize.body().path("disk").asBoolean()).isFalse();
    }

    @Test
    void anErroredActionFails() {
        Vm vm = createRunningVm();
        stub.nextActionFailure = "errored";
        ProviderException e = failure(Reason.ACTION_FAILED, () -> provider.powerOff(vm.id()));
        assertThat(e.getMessage()).contains("power_off action").endsWith("failed: DigitalOcean reports it errored");
    }

    @Test
    void aRateLimitWithoutRetryAfterWaitsUntilTheReset() {
        stub.server.failNext(ProviderStub.rateLimited(stub.error(429, "too_many_requests", "API rate limit exceeded."),
                Instant.now().plusSeconds(2)));
        long started = System.nanoTime();
        provider.verifyCredentials();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(stub.server.requests()).hasSize(2);
    }
}
