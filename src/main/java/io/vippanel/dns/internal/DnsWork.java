package io.vippanel.dns.internal;

import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsAccounts;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What the DNS jobs share: the zone and its provider in the system scope, applying the pending record sets as one
 * batch, and the check that the zone's servers answer them.
 */
@Component
public class DnsWork {

    private static final Duration LEASE_MARGIN = Duration.ofMinutes(2);
    private static final Duration LEASE_POLL = Duration.ofMillis(250);

    private final DnsZoneRepository zones;
    private final DnsAccounts accounts;
    private final SystemTransactions tx;
    private final VipProperties.Dns settings;
    private final Clock clock;

    public DnsWork(DnsZoneRepository zones, DnsAccounts accounts, SystemTransactions tx, VipProperties properties, Clock clock) {
        this.zones = zones;
        this.accounts = accounts;
        this.tx = tx;
        this.settings = properties.dns();
        this.clock = clock;
    }

    public DnsZoneRepository repository() {
        return zones;
    }

    public SystemTransactions tx() {
        return tx;
    }

    public Clock clock() {
        return clock;
    }

    /** The job's zone as it is now; a job whose zone is gone fails for good. */
    public DnsZone zone(JobContext job) {
        String id = job.job().targetId();
        if (id == null) {
            throw JobFailure.permanent("The job names no zone.");
        }
        return reload(id);
    }

    public DnsZone reload(String zoneId) {
        return tx.call(() -> zones.find("/", zoneId)).orElseThrow(() -> JobFailure.permanent("DNS zone " + zoneId + " no longer exists."));
    }

    public DnsProvider provider(DnsZone zone) {
        return accounts.connectForSystem(zone.accountId());
    }

    public DnsAccount account(DnsZone zone) {
        return accounts.accountForSystem(zone.accountId());
    }

    /**
     * Runs {@code work} while holding the zone's lease, so that two jobs never interleave their reads of the pending
     * sets and their batches; waits for a running job to finish first.
     */
    public <T> T exclusively(JobContext job, DnsZone zone, Supplier<T> work) {
        Duration hold = settings.propagationTimeout().plus(LEASE_MARGIN);
        Instant giveUp = clock.instant().plus(hold);
        boolean announced = false;
        while (!tx.call(() -> zones.takeLease(zone.id(), clock.instant(), clock.instant().plus(hold)))) {
            if (!announced) {
                job.info("Another job is applying changes to this zone; waiting for it.");
                announced = true;
            }
            if (clock.instant().isAfter(giveUp)) {
                throw JobFailure.retryable("Another job kept the zone busy for " + hold.toMinutes() + " minutes.");
            }
            job.stopIfCancelled();
            try {
                Thread.sleep(LEASE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JobFailure.retryable("Interrupted while waiting for the zone.");
            }
        }
        try {
            return work.get();
        } finally {
            tx.run(() -> zones.releaseLease(zone.id()));
        }
    }

    /** The zone at the provider; the zone must have been created there. */
    public ProviderZone providerZone(DnsZone zone) {
        String id = tx.call(() -> zones.providerZoneId(zone.id())).orElse(null);
        if (id == null) {
            throw JobFailure.permanent("The zone was never created at " + zone.provider().displayName() + ".");
        }
        return new ProviderZone(id, zone.name(), zone.nameservers());
    }

    /**
     * Gives every pending record set to the provider in one batch and clears what it took.
     *
     * @return the sets as the zone's servers must now answer them (no values: must not be answered)
     */
    public List<RecordSet> applyPending(JobContext job, DnsZone zone, DnsProvider provider, ProviderZone providerZone) {
        List<DnsZoneRepository.PendingSet> pending = tx.call(() -> zones.pendingSets(zone.id()));
        if (pending.isEmpty()) {
            job.info("No record changes are waiting.");
            return List.of();
        }
        List<RecordSet> wanted = tx.call(() -> zones.wantedSets(zone.id()));
        List<RecordSetChange> changes = new ArrayList<>();
        List<RecordSet> expected = new ArrayList<>();
        for (DnsZoneRepository.PendingSet set : pending) {
            Optional<RecordSet> replacement = wanted.stream()
                    .filter(candidate -> candidate.name().equals(set.name()) && candidate.type() == set.type()).findFirst();
            if (replacement.isPresent()) {
                changes.add(new RecordSetChange.Replace(replacement.get()));
                expected.add(replacement.get());
                job.info("Set " + set.name() + " " + set.type() + " to " + String.join(", ", replacement.get().contents())
                        + " (TTL " + replacement.get().ttl() + ")");
            } else {
                changes.add(new RecordSetChange.Delete(set.name(), set.type()));
                expected.add(PropagationCheck.absent(set.name(), set.type()));
                job.info("Delete " + set.name() + " " + set.type());
            }
        }
        job.info("Sending " + changes.size() + " change" + (changes.size() == 1 ? "" : "s") + " to "
                + zone.provider().displayName() + " in one batch.");
        try {
            provider.apply(providerZone, changes);
        } catch (DnsProviderException e) {
            throw failure(e);
        }
        tx.run(() -> pending.forEach(set -> zones.clearPending(zone.id(), set)));
        return expected;
    }

    /** Waits until the zone's servers answer the sets; a server that never does fails the job (retried later). */
    public void awaitAnswers(JobContext job, DnsZone zone, List<RecordSet> expected) {
        if (expected.isEmpty()) {
            return;
        }
        PropagationCheck.Targets targets = targets(zone);
        targets.problems().forEach(problem -> job.warn("Cannot ask " + problem + "."));
        if (targets.targets().isEmpty()) {
            throw JobFailure.retryable("No server of the zone could be asked; check the name servers ("
                    + String.join(", ", zone.nameservers()) + ").");
        }
        job.info("Asking " + targets.targets().stream().map(PropagationCheck.Target::label).toList()
                + " until they answer the changes.");
        PropagationCheck.Outcome outcome = new PropagationCheck(clock, settings.propagationTimeout(), settings.propagationInterval())
                .await(targets.targets(), expected, job::info, job::cancelRequested);
        job.stopIfCancelled();
        if (!outcome.complete()) {
            throw JobFailure.retryable("After " + outcome.took().toSeconds() + " s these servers still answer otherwise: "
                    + outcome.waitingByServer());
        }
        job.info("Every server answers the changes (" + outcome.took().toMillis() + " ms).");
    }

    public PropagationCheck.Targets targets(DnsZone zone) {
        DnsAccount account = account(zone);
        return PropagationCheck.targets(account.checkServers(), zone.nameservers(), settings.publicResolvers());
    }

    /** A provider's refusal ends the job for good (the user must change something); an outage is retried. */
    public static JobFailure failure(DnsProviderException e) {
        return switch (e.reason()) {
            case RATE_LIMITED, UNAVAILABLE -> JobFailure.retryable(e.userMessage());
            case CREDENTIALS, INVALID, NOT_FOUND, CONFLICT -> JobFailure.permanent(e.userMessage(), Map.of("provider", e.messages()));
        };
    }

    /** Records the failure on the zone when it ends the job for good; the pending sets stay for the next try. */
    public JobFailure failing(JobContext job, DnsZone zone, JobFailure failure) {
        if (!failure.retryable() || job.attempt() >= job.job().maxAttempts()) {
            tx.run(() -> zones.setStatus(zone.id(), ZoneStatus.FAILED, failure.getMessage()));
        }
        return failure;
    }
}
