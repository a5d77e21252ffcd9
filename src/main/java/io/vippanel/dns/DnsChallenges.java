package io.vippanel.dns;

import io.vippanel.dns.internal.DnsJobTypes;
import io.vippanel.dns.internal.DnsWork;
import io.vippanel.dns.internal.DnsZoneRepository;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.zone.ZoneProblem;
import io.vippanel.dns.internal.zone.ZoneRules;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobCancelled;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.Ids;
import java.net.IDN;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * DNS-01 challenges for ACME orders, for another module's job (the certificates' order job): publish the TXT values
 * the CA asks for at {@code _acme-challenge.<name>} in the customer's managed zone, wait until every server of the zone
 * answers them, and take them out again.
 *
 * <p>The values are the zone's own records ({@code dns_records}, TTL {@value #TTL}) while they exist, so the records
 * editor and the drift check see them. Publishing marks the set pending and applies it at once under the zone's lease
 * (the one the zone jobs hold, so no sync interleaves); other sets pending in the zone go to the provider in that same
 * batch, as a sync would send them. Neither publishing nor removing changes the zone's status: a failed challenge does
 * not mark the zone failed. Everything runs in the system scope; the caller names the tenant.
 */
@Service
public class DnsChallenges {

    /** The owner name's first label for ACME DNS-01 (RFC 8555, section 8.4). */
    public static final String PREFIX = "_acme-challenge.";
    /** Short, so that a value left behind by a crash does not linger in caches. */
    public static final int TTL = 60;

    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final int MAX_NAME = 253;

    private final DnsWork work;
    private final Jobs jobs;
    private final Clock clock;

    public DnsChallenges(DnsWork work, Jobs jobs, Clock clock) {
        this.work = work;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * The managed zone of the tenant at {@code tenantPath} (that tenant's own zones, not its sub-tenants') that holds
     * {@code host}, the longest such zone name; only zones the provider holds and that are in order count (status
     * active, or syncing, which an active zone is while a change is applied), on any provider.
     *
     * @param host a host name, absolute, with or without the trailing dot; a leftmost {@code *.} is ignored
     * @return empty when no such zone exists
     * @throws IllegalArgumentException when {@code host} is not a host name
     */
    public Optional<DnsZone> zoneFor(String tenantPath, String host) {
        String name = name(host, true);
        return work.tx().call(() -> work.repository().enclosingOf(tenantPath, name)).stream()
                .filter(zone -> zone.status() == ZoneStatus.ACTIVE || zone.status() == ZoneStatus.SYNCING)
                .findFirst();
    }

    /**
     * Publishes the TXT values at {@code recordName} (several for a wildcard + apex order) in the tenant's zone that
     * holds it ({@link #zoneFor}), applies them to the provider right now under the zone's lease, then waits until
     * every server of the zone (the account's check servers or the zone's name servers, plus the public resolvers)
     * answers the name's whole TXT set, with progress lines in the job's log. Values the name already has stay, and
     * are part of the set waited for. The zone's record limit does not apply to these records.
     *
     * @param recordName {@code _acme-challenge.} and a name inside the zone, e.g. {@code _acme-challenge.example.com}
     * @param values     the key authorisation digests, base64url ({@code [A-Za-z0-9_-]}, 1 to 255 characters)
     * @return what was added, to hand to {@link #remove}
     * @throws JobFailure retryable for a provider outage, a busy zone or servers that do not answer in time;
     *                    permanent when no active zone holds the name, the zone's rules or the provider refuse the
     *                    records. The added records are removed again before it is thrown.
     * @throws IllegalArgumentException for a name or value that cannot be a DNS-01 challenge (a programming error)
     */
    public PublishedChallenge publish(JobContext job, String tenantPath, String recordName, List<String> values) {
        String name = challengeName(recordName);
        Set<String> wanted = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("A DNS-01 challenge value is base64url text of 1 to 255 characters, not "
                        + (value == null ? "null" : "\"" + shorten(value) + "\""));
            }
            wanted.add(value);
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("A DNS-01 challenge needs at least one value.");
        }
        DnsZone zone = zoneFor(tenantPath, name).orElseThrow(() -> JobFailure.permanent("No active DNS zone of this customer in "
                + "the panel holds " + name + "; add the domain's zone (or fix its failed changes) to use DNS validation."));
        job.info("Publishing the DNS-01 challenge " + name + " TXT (" + wanted.size() + " value" + (wanted.size() == 1 ? "" : "s")
                + ") in zone " + zone.name() + " at " + zone.provider().displayName() + ".");
        return work.exclusively(job, zone, () -> publishHoldingLease(job, zone, name, List.copyOf(wanted)));
    }

    /**
     * Removes exactly the values {@code publish} added (values the name had before stay) and applies that at once
     * under the zone's lease, without waiting for the servers. Never throws for a provider failure, a busy zone or a
     * cancelled job: it then logs a warning in the job and leaves the set pending for the next sync of the zone (queued
     * here when the provider was out of reach).
     */
    public void remove(JobContext job, PublishedChallenge challenge) {
        DnsZone zone = work.tx().call(() -> work.repository().find("/", challenge.zoneId())).orElse(null);
        if (zone == null) {
            job.info("The zone of " + challenge.recordName() + " is gone; there is no challenge to remove.");
            return;
        }
        int removed = work.tx().call(() -> forget(zone, challenge.recordName(), challenge.values()));
        job.info("Removing the DNS-01 challenge " + challenge.recordName() + " TXT (" + removed + " value"
                + (removed == 1 ? "" : "s") + ") from zone " + zone.name() + ".");
        if (zone.status() == ZoneStatus.DELETING || zone.status() == ZoneStatus.PENDING) {
            return;
        }
        try {
            work.exclusively(job, zone, () -> applyNow(job, zone, "the removal"));
        } catch (JobFailure | JobCancelled e) {
            leavePending(job, zone, "the removal", e);
        }
    }

    private PublishedChallenge publishHoldingLease(JobContext job, DnsZone found, String name, List<String> values) {
        DnsZone zone = work.reload(found.id());
        if (zone.status() == ZoneStatus.DELETING || zone.status() == ZoneStatus.PENDING) {
            throw JobFailure.permanent("The DNS zone " + zone.name() + " is " + zone.status().key() + "; it cannot take the challenge.");
        }
        List<String> added = work.tx().call(() -> add(zone, name, values));
        if (added.size() < values.size()) {
            job.info((values.size() - added.size()) + " of the values " + name + " already had stay as they are.");
        }
        Instant started = clock.instant();
        try {
            List<RecordSet> expected = new ArrayList<>(work.applyPending(job, zone, work.provider(zone), work.providerZone(zone)));
            // A sync that held the lease before us may have sent the set already; wait for it all the same.
            RecordSet challenge = work.tx().call(() -> work.repository().wantedSets(zone.id())).stream()
                    .filter(set -> set.name().equals(name) && set.type() == RecordType.TXT).findFirst()
                    .orElseThrow(() -> JobFailure.retryable("The challenge records of " + name + " were removed while publishing."));
            expected.removeIf(set -> set.name().equals(name) && set.type() == RecordType.TXT);
            expected.add(challenge);
            work.awaitAnswers(job, zone, expected);
            Duration took = Duration.between(started, clock.instant());
            job.info("The DNS-01 challenge " + name + " is answered by every server of the zone (" + took.toMillis() + " ms).");
            return new PublishedChallenge(zone.id(), name, added, took);
        } catch (DnsProviderException e) {
            JobFailure failure = DnsWork.failure(e);
            withdraw(job, zone, name, added);
            throw failure;
        } catch (RuntimeException e) {
            withdraw(job, zone, name, added);
            throw e;
        }
    }

    /** Adds the values the set lacks (TTL {@value #TTL}) and marks the set pending; returns the values added. */
    private List<String> add(DnsZone zone, String name, List<String> values) {
        DnsZoneRepository repository = work.repository();
        List<RecordSet> current = repository.wantedSets(zone.id());
        Set<String> present = new LinkedHashSet<>();
        current.stream().filter(set -> set.name().equals(name) && set.type() == RecordType.TXT)
                .forEach(set -> present.addAll(set.contents()));
        List<String> added = values.stream().filter(value -> !present.contains(quoted(value))).toList();
        Set<String> contents = new LinkedHashSet<>(present);
        added.forEach(value -> contents.add(quoted(value)));
        List<RecordSet> after = new ArrayList<>(current.stream()
                .filter(set -> !(set.name().equals(name) && set.type() == RecordType.TXT)).toList());
        after.add(new RecordSet(name, RecordType.TXT, TTL, List.copyOf(contents)));
        List<ZoneProblem> problems = new ArrayList<>(ZoneRules.check(zone.name(), after));
        problems.removeAll(ZoneRules.check(zone.name(), current));
        if (!problems.isEmpty()) {
            throw JobFailure.permanent("The zone " + zone.name() + " cannot hold the challenge: "
                    + String.join(" ", problems.stream().map(ZoneProblem::message).toList()));
        }
        Instant now = clock.instant();
        for (String value : added) {
            repository.insertRecord(Ids.newId("rec"), zone.tenantId(), zone.id(), name, RecordType.TXT, TTL, quoted(value), null, now);
        }
        repository.markPending(zone.tenantId(), zone.id(), name, RecordType.TXT, now);
        return added;
    }

    /** Deletes the values from the panel's records and marks the set pending; returns how many were there. */
    private int forget(DnsZone zone, String name, List<String> values) {
        int removed = 0;
        for (String value : values) {
            if (work.repository().deleteValue(zone.id(), name, RecordType.TXT, quoted(value))) {
                removed++;
            }
        }
        work.repository().markPending(zone.tenantId(), zone.id(), name, RecordType.TXT, clock.instant());
        return removed;
    }

    /** After a failed publish, while still holding the lease: the added values go from the panel and the provider. */
    private void withdraw(JobContext job, DnsZone zone, String name, List<String> added) {
        work.tx().run(() -> forget(zone, name, added));
        job.warn("Taking the challenge values of " + name + " out again.");
        try {
            applyNow(job, zone, "the withdrawal");
        } catch (RuntimeException e) {
            leavePending(job, zone, "the withdrawal", e);
        }
    }

    private Void applyNow(JobContext job, DnsZone zone, String what) {
        try {
            work.applyPending(job, zone, work.provider(zone), work.providerZone(zone));
        } catch (DnsProviderException e) {
            throw DnsWork.failure(e);
        }
        job.info(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " is applied at " + zone.provider().displayName() + ".");
        return null;
    }

    /**
     * The set stays pending. After an outage a sync of the zone is queued to apply it once the provider answers; after
     * a refusal it waits for the zone's next sync (queuing one would only fail it for good and mark the zone failed).
     */
    private void leavePending(JobContext job, DnsZone zone, String what, RuntimeException e) {
        boolean retry = e instanceof JobCancelled || e instanceof JobFailure failure && failure.retryable();
        String reason = e instanceof JobCancelled ? "the job was cancelled" : e.getMessage();
        if (retry) {
            Job sync = work.tx().call(() -> {
                Job queued = jobs.enqueue(new NewJob(zone.tenantId(), DnsJobTypes.SYNC_ZONE, "Apply DNS changes to " + zone.name(),
                        "dns_zone", zone.id(), Map.of(), null));
                work.repository().setLastJob(zone.id(), queued.id());
                return queued;
            });
            job.warn("Could not apply " + what + " now (" + reason + "); it waits in the panel for the zone's sync " + sync.id() + ".");
        } else {
            job.warn("Could not apply " + what + " now (" + reason + "); it waits in the panel for the zone's next sync.");
        }
    }

    private static String challengeName(String recordName) {
        String name = name(recordName, false);
        if (!name.startsWith(PREFIX) || name.length() == PREFIX.length()) {
            throw new IllegalArgumentException("A DNS-01 challenge lives at " + PREFIX + "<domain>, not at " + shorten(recordName));
        }
        return name;
    }

    /** The name in the form the records use: ASCII, lower case, without the trailing dot; checked label by label. */
    private static String name(String host, boolean wildcard) {
        String text = host.strip().toLowerCase(Locale.ROOT);
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (wildcard && text.startsWith("*.")) {
            text = text.substring(2);
        }
        try {
            text = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a host name: " + shorten(host), e);
        }
        if (text.isEmpty() || text.length() > MAX_NAME) {
            throw new IllegalArgumentException("Not a host name: " + shorten(host));
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("Not a host name: " + shorten(host));
            }
        }
        return text;
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
