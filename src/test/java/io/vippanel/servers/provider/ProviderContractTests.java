package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviderFactory;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import io.vippanel.servers.internal.provider.ProviderCredentials.ApiToken;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.internal.provider.VmState;
import io.vippanel.servers.provider.StubServer.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every REST provider client must do, run against each provider's stub: the VM lifecycle, errors in the
 * provider's words, rate limits, outages, pagination and action polling. Subclasses add the provider's own
 * request shapes and mappings.
 */
abstract class ProviderContractTests<S extends ProviderStub> {

    static final int MAX_RETRIES = 3;

    private final Supplier<S> stubs;
    private final Function<VipProperties.Providers, CloudProviderFactory> factories;
    S stub;
    CloudProvider provider;

    ProviderContractTests(Supplier<S> stubs, Function<VipProperties.Providers, CloudProviderFactory> factories) {
        this.stubs = stubs;
        this.factories = factories;
    }

    CloudProviderFactory factory(VipProperties.Providers settings) {
        return factories.apply(settings);
    }

    @BeforeEach
    void start() {
        stub = stubs.get();
        provider = connect(settings(Duration.ofSeconds(2)), ProviderStub.TOKEN);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    /** Milliseconds where production waits seconds, so the suite stays fast; Retry-After up to 1.5 s is honoured. */
    VipProperties.Providers settings(Duration actionTimeout) {
        String url = stub.baseUrl();
        return new VipProperties.Providers(url, url, url, null, null, Duration.ofSeconds(5), MAX_RETRIES,
                Duration.ofMillis(5), Duration.ofMillis(1500), Duration.ofMillis(5), actionTimeout, Duration.ofMinutes(1));
    }

    CloudProvider connect(VipProperties.Providers settings, String token) {
        return factory(settings).connect(new ApiToken(token));
    }

    /** Runs {@code call}, expects a provider failure for {@code reason}, and checks that no token leaked into it. */
    ProviderException failure(Reason reason, ThrowingCallable call) {
        ProviderException e = catchThrowableOfType(ProviderException.class, call);
        assertThat(e).as("expected a ProviderException").isNotNull();
        assertThat(e.reason()).as(e.userMessage()).isEqualTo(reason);
        assertThat(e.userMessage()).doesNotContain(ProviderStub.TOKEN).doesNotContain("wrong-token-0815");
        assertThat(String.valueOf(e.getCause())).doesNotContain(ProviderStub.TOKEN);
        return e;
    }

    Vm createRunningVm() {
        Vm created = provider.createVm(stub.spec());
        for (int i = 0; i < 20; i++) {
            Vm vm = provider.findVm(created.id()).orElseThrow();
            if (vm.state() == VmState.RUNNING) {
                return vm;
            }
        }
        throw new AssertionError("the VM never became running");
    }

    @Test
    void aVmLivesThroughEveryOperation() {
        Vm created = provider.createVm(stub.spec());
        assertThat(created.name()).isEqualTo(stub.spec().name());
        assertThat(created.state()).isEqualTo(VmState.STARTING);
        assertThat(created.loginUser()).isEqualTo("root");

        Vm running = createRunningVm();
        assertThat(running.ipv4()).isNotBlank().isNotEqualTo("0.0.0.0");
        assertThat(running.region()).isEqualTo(stub.spec().region());
        assertThat(running.size()).isEqualTo(stub.spec().size());

        provider.reboot(running.id());
        assertThat(provider.findVm(running.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        provider.powerOff(running.id());
        assertThat(provider.findVm(running.id()).orElseThrow().state()).isEqualTo(VmState.OFF);
        provider.powerOn(running.id());
        assertThat(provider.findVm(running.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);

        provider.resize(running.id(), stub.facts.biggerSize());
        Vm resized = provider.findVm(running.id()).orElseThrow();
        assertThat(resized.size()).isEqualTo(stub.facts.biggerSize());
        assertThat(resized.state()).isEqualTo(VmState.RUNNING);

        provider.deleteVm(running.id());
        assertThat(provider.findVm(running.id())).isEmpty();
    }

    @Test
    void actionsArePolledUntilDone() {
        Vm vm = createRunningVm();
        stub.actionPolls = 3;
        int before = stub.polls();
        provider.reboot(vm.id());
        assertThat(stub.polls() - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void sshKeysAreUploadedAndDeleted() {
        var key = provider.uploadSshKey("vip-panel-7", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqUSNXPbQKzGrbOLTF7sqXAB5bNDHtLL0HWrdFrw8J vip@panel");
        assertThat(key.id()).isNotBlank();
        assertThat(key.fingerprint()).isNotBlank();
        assertThat(stub.keys).containsKey(key.id());
        provider.deleteSshKey(key.id());
        assertThat(stub.keys).doesNotContainKey(key.id());
    }

    @Test
    void catalogsSpanningSeveralPagesAreReadWhole() {
        stub.maxPerPage = 2;
        assertThat(provider.regions()).hasSizeGreaterThan(2);
        assertThat(stub.server.requests("GET", stub.facts.regionsPath())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(provider.sizes()).hasSizeGreaterThan(2);
        assertThat(provider.images()).hasSize(4);
    }

    @Test
    void verifyingCredentialsSaysWhatTheyReach() {
        assertThat(provider.verifyCredentials()).isNotBlank();
    }

    @Test
    void aBadTokenIsUnauthorizedInTheProvidersWords() {
        CloudProvider wrong = connect(settings(Duration.ofSeconds(1)), "wrong-token-0815");
        ProviderException e = failure(Reason.UNAUTHORIZED, wrong::verifyCredentials);
        assertThat(e.getMessage()).isEqualTo(stub.facts.unauthorizedMessage());
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(stub.server.requests()).hasSize(1);
        assertThat(stub.server.requests().getFirst().authorization()).isEqualTo("Bearer wrong-token-0815");
    }

    @Test
    void everyRequestCarriesTheBearerToken() {
        provider.regions();
        provider.createVm(stub.spec());
        assertThat(stub.server.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + ProviderStub.TOKEN));
    }

    @Test
    void anUnknownVmIsNotFoundAndDeletingItIsNoError() {
        assertThat(provider.findVm("999999")).isEmpty();
        provider.deleteVm("999999");
        provider.deleteSshKey("999999");
        ProviderException e = failure(Reason.NOT_FOUND, () -> provider.reboot("999999"));
        assertThat(e.getMessage()).isEqualTo(stub.facts.notFoundMessage());
    }

    @Test
    void aSizeNotOfferedInTheRegionIsRejectedInTheProvidersWords() {
        ProviderException e = failure(Reason.REJECTED, () -> provider.createVm(stub.facts.unofferedSpec()));
        assertThat(e.getMessage()).isEqualTo(stub.facts.sizeNotInRegionMessage());
        assertThat(stub.vms).isEmpty();
    }

    @Test
    void unprocessableRequestsAreRejected() {
        stub.server.failNext(stub.error(422, "unprocessable_entity", "You specified an invalid size for Droplet creation."));
        ProviderException e = failure(Reason.REJECTED, () -> provider.createVm(stub.spec()));
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("You specified an invalid size for Droplet creation.");
        assertThat(e.userMessage()).startsWith(provider.kind().displayName() + ": ");
    }

    @Test
    void aRateLimitIsWaitedOutAsRetryAfterSays() {
        stub.server.failNext(stub.error(429, "rate_limit_exceeded", "Too many requests").withHeader("Retry-After", "1"));
        long started = System.nanoTime();
        int requests = regionRequests(provider::regions);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(requests).isEqualTo(regionRequests(provider::regions) + 1);
    }

    @Test
    void aRateLimitThatLastsFailsAfterTheAllowedRetries() {
        stub.server.failNext(MAX_RETRIES + 5, stub.error(429, "rate_limit_exceeded", "Too many requests"));
        ProviderException e = failure(Reason.RATE_LIMITED, provider::regions);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Too many requests");
        assertThat(stub.server.requests()).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void anOutageIsRetried() {
        stub.server.failNext(stub.error(503, "unavailable", "service temporarily unavailable"));
        assertThat(regionRequests(provider::regions)).isEqualTo(regionRequests(provider::regions) + 1);
    }

    @Test
    void anOutageThatLastsIsUnavailable() {
        stub.server.failNext(MAX_RETRIES + 5, stub.error(500, "server_error", "internal server error"));
        ProviderException e = failure(Reason.UNAVAILABLE, provider::regions);
        assertThat(e.getMessage()).startsWith("internal server error");
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(stub.server.requests()).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void anHtmlErrorPageStillGivesAClearMessage() {
        stub.server.failNext(MAX_RETRIES + 5, new Reply(502, Map.of("Content-Type", "text/html"),
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                        + "<hr><center>nginx</center></body></html>"));
        ProviderException e = failure(Reason.UNAVAILABLE, provider::sizes);
        assertThat(e.getMessage()).contains("HTTP 502 Bad Gateway").contains("text/html").doesNotContain("<");
    }

    @Test
    void aVmCreationIsNotRetriedAfterAnInternalError() {
        stub.server.failNext(stub.error(500, "server_error", "internal server error"));
        failure(Reason.UNAVAILABLE, () -> provider.createVm(stub.spec()));
        assertThat(stub.server.requests()).hasSize(1);
        assertThat(stub.vms).isEmpty();
    }

    @Test
    void aProviderThatCannotBeReachedIsUnavailable() {
        String url = "http://127.0.0.1:1/v1";
        var settings = new VipProperties.Providers(url, url, url, null, null, Duration.ofSeconds(2), 1,
                Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
        ProviderException e = failure(Reason.UNAVAILABLE, () -> connect(settings, ProviderStub.TOKEN).regions());
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("no answer from 127.0.0.1");
    }

    @Test
    void anErrorBodyEchoingTheTokenDoesNotLeakIt() {
        stub.server.failNext(stub.error(403, "forbidden", "token " + ProviderStub.TOKEN + " may not do this"));
        ProviderException e = failure(Reason.UNAUTHORIZED, provider::regions);
        assertThat(e.getMessage()).isEqualTo("token ******** may not do this");
    }

    @Test
    void waitingEndsAtOnceWhenTheThreadIsInterrupted() throws Exception {
        stub.server.failNext(stub.error(429, "rate_limit_exceeded", "Too many requests").withHeader("Retry-After", "60"));
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread[] worker = new Thread[1];
        CompletableFuture<ProviderException> result = CompletableFuture.supplyAsync(() -> {
            worker[0] = Thread.currentThread();
            try {
                provider.regions();
                return null;
            } catch (ProviderException e) {
                stillInterrupted.set(Thread.interrupted());
                return e;
            }
        });
        while (stub.server.requests().isEmpty()) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        long started = System.nanoTime();
        worker[0].interrupt();
        ProviderException e = result.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(e).isNotNull();
        assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void otherCredentialsAreRefused() {
        assertThatThrownBy(() -> factory(settings(Duration.ofSeconds(1)))
                .connect(new ProviderCredentials.AwsKeys("AKIA", "secret", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    /** How many requests for regions {@code call} made. */
    private int regionRequests(Runnable call) {
        int before = stub.server.requests("GET", stub.facts.regionsPath()).size();
        call.run();
        return stub.server.requests("GET", stub.facts.regionsPath()).size() - before;
    }
}
