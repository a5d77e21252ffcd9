package io.vippanel.servers;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.internal.ServerRecord;
import io.vippanel.servers.internal.ServerWork;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Remote work other modules do on a server (sites, later mail and backups): a named playbook run as the server's
 * admin user with the panel's key and the pinned host keys, from a job on a worker. Only a {@code ready} server
 * takes such work; anything else fails the job for good with the server's state in the message.
 *
 * <p>One such run at a time per server, over all workers: a run holds the server's automation lease (a row lease
 * that expires, so a crashed worker's claim lapses) and the others wait for it, saying so in their logs.
 */
@Service
public class ServerAutomation {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(2);

    private final ServerWork work;
    private final Duration defaultTimeout;
    private final Duration maxWait;

    public ServerAutomation(ServerWork work, VipProperties properties) {
        this.work = work;
        this.defaultTimeout = properties.automation().defaultTimeout();
        this.maxWait = properties.servers().automationWait();
    }

    /**
     * Runs {@code playbook} on the server with {@code vars} plus the variables every server playbook takes
     * ({@code panel_id}, {@code admin_user}, {@code ssh_port}, {@code panel_addresses}, …), which the caller's
     * variables may not replace.
     */
    public PlaybookResult playbook(JobContext job, String serverId, String playbook, Map<String, @Nullable Object> vars,
                                   Set<String> secretVars, @Nullable Duration timeout) {
        ServerRecord server = ServerWork.requireReady(work.reload(serverId));
        Map<String, @Nullable Object> all = new LinkedHashMap<>(vars);
        work.baseVars(server).forEach((name, value) -> {
            if (all.containsKey(name)) {
                throw JobFailure.permanent("The variable " + name + " belongs to the server and cannot be given.");
            }
            all.put(name, value);
        });
        String holder = job.job().id();
        Duration lease = (timeout == null ? defaultTimeout : timeout).plus(LEASE_MARGIN);
        awaitLease(job, server, holder, lease);
        try {
            return work.playbook(job, server, playbook, all, secretVars, timeout);
        } finally {
            work.update(repository -> repository.releaseAutomationLease(server.id(), holder));
        }
    }

    /** The server's public addresses, IPv4 first; empty while the provider has given none. */
    public List<String> addresses(String serverId) {
        ServerRecord server = work.reload(serverId);
        return Stream.of(server.ipv4(), server.ipv6()).filter(Objects::nonNull).toList();
    }

    private void awaitLease(JobContext job, ServerRecord server, String holder, Duration lease) {
        Instant giveUp = work.clock().instant().plus(maxWait);
        boolean told = false;
        while (true) {
            Instant now = work.clock().instant();
            if (work.read(repository -> repository.takeAutomationLease(server.id(), holder, now, now.plus(lease)))) {
                return;
            }
            if (!told) {
                job.info("Waiting for another job on server " + server.name() + " to finish (one playbook at a time per server).");
                told = true;
            }
            if (now.isAfter(giveUp)) {
                throw JobFailure.retryable("Server " + server.name() + " stayed busy with another job for " + maxWait.toMinutes() + " minutes.");
            }
            job.stopIfCancelled();
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JobFailure.retryable("Interrupted while waiting for the server.");
            }
        }
    }
}
