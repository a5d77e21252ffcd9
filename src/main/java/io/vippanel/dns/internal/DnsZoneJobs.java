package io.vippanel.dns.internal;

import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DriftItem;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DsRecord;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.platform.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The jobs that make a provider hold what the panel lists: create a zone (or adopt the account's existing one),
 * apply pending record sets, sign or unsign, delete. Each ends by asking the zone's servers, from outside, whether
 * they answer what was written.
 */
final class DnsZoneJobs {

    static final RetryPolicy RETRIES = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofMinutes(5));

    private DnsZoneJobs() {
    }

    @Component
    static final class CreateZoneJob implements JobType {

        private final DnsWork work;

        CreateZoneJob(DnsWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return DnsJobTypes.CREATE_ZONE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            DnsZone zone = work.zone(job);
            return work.exclusively(job, zone, () -> create(job, zone));
        }

        private JobOutcome create(JobContext job, DnsZone zone) {
            try {
                DnsProvider provider = work.provider(zone);
                ProviderZone providerZone = createOrAdopt(job, zone, provider);
                work.tx().run(() -> work.repository().markCreated(zone.id(), providerZone.id(), providerZone.nameservers()));
                DnsZone created = work.reload(zone.id());
                List<RecordSet> expected = new ArrayList<>(work.applyPending(job, created, provider, providerZone));
                PropagationCheck.Targets targets = work.targets(created);
                awaitServing(job, created, targets);
                work.awaitAnswers(job, created, expected);
                work.tx().run(() -> work.repository().markApplied(zone.id(), work.clock().instant()));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("nameservers", providerZone.nameservers());
                result.put("recordSets", expected.size());
                return new JobOutcome("Zone " + zone.name() + " is served by " + String.join(", ", providerZone.nameservers())
                        + "; point the domain's name servers there at the registrar.", result);
            } catch (DnsProviderException e) {
                throw work.failing(job, zone, DnsWork.failure(e));
            } catch (JobFailure e) {
                throw work.failing(job, zone, e);
            }
        }

        private ProviderZone createOrAdopt(JobContext job, DnsZone zone, DnsProvider provider) {
            Optional<ProviderZone> existing = provider.findZone(zone.name());
            if (existing.isEmpty()) {
                job.info("Creating zone " + zone.name() + " at " + zone.provider().displayName() + ".");
                return provider.createZone(zone.name());
            }
            String known = work.tx().call(() -> work.repository().providerZoneId(zone.id())).orElse(null);
            if (existing.get().id().equals(known)) {
                job.info("The zone was created by an earlier try.");
                return existing.get();
            }
            DnsAccount account = work.account(zone);
            if (account.shared()) {
                throw JobFailure.permanent(zone.provider().displayName() + " already holds " + zone.name()
                        + ", and this account is shared: the panel does not take over a zone it did not create there.");
            }
            List<RecordSet> found = provider.recordSets(existing.get());
            int adopted = work.tx().call(() -> adopt(zone, found));
            job.info(zone.provider().displayName() + " already holds " + zone.name() + " in this account; took over its "
                    + adopted + " record sets (the panel's own records replace sets of the same name and type).");
            return existing.get();
        }

        /** The provider's sets the panel has no records for become panel records, already applied. */
        private int adopt(DnsZone zone, List<RecordSet> found) {
            DnsZoneRepository repository = work.repository();
            List<RecordSet> wanted = repository.wantedSets(zone.id());
            Instant now = work.clock().instant();
            int adopted = 0;
            for (RecordSet set : found) {
                boolean apexNs = set.name().equals(zone.name()) && set.type() == io.vippanel.dns.RecordType.NS;
                boolean known = wanted.stream().anyMatch(w -> w.name().equals(set.name()) && w.type() == set.type());
                if (apexNs || known) {
                    continue;
                }
                for (String content : set.contents()) {
                    repository.insertRecord(Ids.newId("rec"), zone.tenantId(), zone.id(), set.name(), set.type(), set.ttl(), content,
                            null, now);
                }
                adopted++;
            }
            return adopted;
        }

        private void awaitServing(JobContext job, DnsZone zone, PropagationCheck.Targets targets) {
            List<PropagationCheck.Target> asked = targets.targets().stream().filter(target -> !target.recursive()).toList();
            for (PropagationCheck.Target target : asked) {
                if (!PropagationCheck.servesZone(target, zone.name())) {
                    throw JobFailure.retryable(target.label() + " does not serve " + zone.name() + " yet.");
                }
                job.info(target.label() + " serves " + zone.name() + ".");
            }
        }
    }

    @Component
    static final class SyncZoneJob implements JobType {

        private final DnsWork work;

        SyncZoneJob(DnsWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return DnsJobTypes.SYNC_ZONE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            DnsZone zone = work.zone(job);
            if (zone.status() == ZoneStatus.PENDING) {
                throw JobFailure.retryable("The zone is still being created; its changes follow.");
            }
            if (zone.status() == ZoneStatus.DELETING) {
                return JobOutcome.of("The zone is being deleted; nothing to apply.");
            }
            return work.exclusively(job, zone, () -> sync(job, zone));
        }

        private JobOutcome sync(JobContext job, DnsZone zone) {
            try {
                work.tx().run(() -> work.repository().setStatus(zone.id(), ZoneStatus.SYNCING, "Applying changes."));
                DnsProvider provider = work.provider(zone);
                List<RecordSet> expected = work.applyPending(job, zone, provider, work.providerZone(zone));
                work.awaitAnswers(job, zone, expected);
                work.tx().run(() -> work.repository().markApplied(zone.id(), work.clock().instant()));
                return new JobOutcome(expected.isEmpty() ? "Nothing was waiting." : expected.size() + " record set"
                        + (expected.size() == 1 ? " is" : "s are") + " applied and answered by every server.",
                        Map.of("recordSets", expected.size()));
            } catch (DnsProviderException e) {
                throw work.failing(job, zone, DnsWork.failure(e));
            } catch (JobFailure e) {
                throw work.failing(job, zone, e);
            }
        }
    }

    @Component
    static final class DeleteZoneJob implements JobType {

        private final DnsWork work;

        DeleteZoneJob(DnsWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return DnsJobTypes.DELETE_ZONE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            DnsZone zone = work.zone(job);
            String providerZoneId = work.tx().call(() -> work.repository().providerZoneId(zone.id())).orElse(null);
            if (providerZoneId != null) {
                try {
                    work.provider(zone).deleteZone(new ProviderZone(providerZoneId, zone.name(), zone.nameservers()));
                } catch (DnsProviderException e) {
                    throw DnsWork.failure(e);
                }
                job.info("Deleted zone " + zone.name() + " at " + zone.provider().displayName() + ".");
                for (PropagationCheck.Target target : work.targets(zone).targets()) {
                    if (!target.recursive() && PropagationCheck.servesZone(target, zone.name())) {
                        throw JobFailure.retryable(target.label() + " still serves " + zone.name() + ".");
                    }
                }
            }
            work.tx().run(() -> work.repository().deleteZone(zone.id()));
            return JobOutcome.of("Zone " + zone.name() + " is deleted; its servers no longer answer for it.");
        }
    }

    @Component
    static final class DnssecJob implements JobType {

        private final DnsWork work;

        DnssecJob(DnsWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return DnsJobTypes.DNSSEC;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            DnsZone zone = work.zone(job);
            boolean enable = job.job().params().path("enabled").asBoolean(false);
            try {
                DnsProvider.Dnssec dnssec = work.provider(zone).dnssec()
                        .orElseThrow(() -> JobFailure.permanent(zone.provider().displayName() + " zones are not signed by the panel."));
                ProviderZone providerZone = work.providerZone(zone);
                if (!enable) {
                    dnssec.disable(providerZone);
                    work.tx().run(() -> work.repository().setDnssec(zone.id(), false, List.of()));
                    return JobOutcome.of("Zone " + zone.name() + " is no longer signed. Remove its DS records at the registrar.");
                }
                List<DsRecord> ds = dnssec.enable(providerZone);
                List<String> presentation = ds.stream().map(DsRecord::presentation).toList();
                work.tx().run(() -> work.repository().setDnssec(zone.id(), true, presentation));
                presentation.forEach(line -> job.info("DS " + line));
                for (PropagationCheck.Target target : work.targets(zone).targets()) {
                    if (!target.recursive() && !PropagationCheck.hasAnswer(target, zone.name(), "DNSKEY")) {
                        throw JobFailure.retryable(target.label() + " does not answer the zone's DNSKEY yet.");
                    }
                }
                return new JobOutcome("Zone " + zone.name() + " is signed. Give the registrar these DS records: "
                        + String.join(" | ", presentation), Map.of("ds", presentation));
            } catch (DnsProviderException e) {
                throw DnsWork.failure(e);
            }
        }
    }

    @Component
    static final class DriftJob implements JobType {

        private final DriftCheck drift;
        private final DnsWork work;

        DriftJob(DriftCheck drift, DnsWork work) {
            this.drift = drift;
            this.work = work;
        }

        @Override
        public String name() {
            return DnsJobTypes.DRIFT;
        }

        @Override
        public JobOutcome run(JobContext job) {
            DnsZone zone = work.zone(job);
            List<DriftItem> found = drift.check(zone);
            found.forEach(item -> job.warn(item.name() + " " + item.type() + ": " + item.what() + " (panel " + item.panelContents()
                    + ", provider " + item.providerContents() + ")"));
            return new JobOutcome(found.isEmpty() ? zone.provider().displayName() + " holds exactly the panel's records."
                    : found.size() + " record set" + (found.size() == 1 ? " differs" : "s differ") + "; see the zone page.",
                    Map.of("differences", found.size()));
        }
    }
}
