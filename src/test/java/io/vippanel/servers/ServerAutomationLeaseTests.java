package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.internal.ServerRepository;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The automation lease that lets other modules' playbooks run one at a time per server: a second holder is refused
 * while the first one's lease lives, gets it once it was released or expired, and a holder may renew its own.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerAutomationLeaseTests {

    @Autowired
    ApplicationContext context;
    @Autowired
    ServerRepository repository;
    @Autowired
    SystemTransactions system;

    String serverId;
    final Instant now = Instant.parse("2026-11-26T08:00:00Z");

    @BeforeAll
    void setUp() {
        Fixture fixture = Fixture.create(context);
        serverId = new ServerFixtures(context).readyServer(fixture.client1User, "lease-" + System.nanoTime(), "198.51.100.40").id();
    }

    private boolean take(String holder, Instant at, Instant until) {
        return system.call(() -> repository.takeAutomationLease(serverId, holder, at, until));
    }

    @Test
    void oneHolderAtATimeUntilReleasedOrExpired() {
        assertThat(take("job_first", now, now.plusSeconds(60))).isTrue();
        assertThat(take("job_second", now.plusSeconds(1), now.plusSeconds(61))).as("the first holder's lease lives").isFalse();
        assertThat(take("job_first", now.plusSeconds(2), now.plusSeconds(120))).as("a holder renews its own lease").isTrue();

        system.run(() -> repository.releaseAutomationLease(serverId, "job_second"));
        assertThat(take("job_second", now.plusSeconds(3), now.plusSeconds(63))).as("only the holder releases").isFalse();

        system.run(() -> repository.releaseAutomationLease(serverId, "job_first"));
        assertThat(take("job_second", now.plusSeconds(4), now.plusSeconds(64))).isTrue();

        assertThat(take("job_third", now.plusSeconds(65), now.plusSeconds(125))).as("an expired lease (a crashed worker's) lapses").isTrue();
        system.run(() -> repository.releaseAutomationLease(serverId, "job_third"));
    }
}
