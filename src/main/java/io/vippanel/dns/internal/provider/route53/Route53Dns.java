package io.vippanel.dns.internal.provider.route53;

import static io.vippanel.dns.internal.provider.route53.Route53Records.absolute;
import static io.vippanel.dns.internal.provider.route53.Route53Records.panelName;
import static io.vippanel.dns.internal.provider.route53.Route53Records.zoneId;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * One AWS account's Route 53 hosted zones, as a {@link DnsProvider}.
 *
 * <p>Only public hosted zones are the panel's; private ones (VPC-internal DNS) are left out of every listing. A change
 * batch is applied once Route 53 reports it {@code INSYNC}, that is, served by all its name servers; the wait is
 * bounded by {@code vip.dns.propagation-timeout}.
 */
final class Route53Dns implements DnsProvider {

    private static final String CALLER_REFERENCE_PREFIX = "vip-panel-";
    private static final String COMMENT = "vip-panel";

    private final Route53Client route53;
    private final Route53Errors errors;
    private final Duration syncTimeout;
    private final Duration syncPollInterval;

    Route53Dns(Route53Client route53, Route53Errors errors, Duration syncTimeout, Duration syncPollInterval) {
        this.route53 = route53;
        this.errors = errors;
        this.syncTimeout = syncTimeout;
        this.syncPollInterval = syncPollInterval;
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.ROUTE53;
    }

    /** The account's number of hosted zones, private ones included, as Route 53 counts them. */
    @Override
    public String verifyCredentials() {
        long count = call(() -> route53.getHostedZoneCount(request -> { }).hostedZoneCount());
        return count == 1 ? "1 hosted zone" : count + " hosted zones";
    }

    /** Every public hosted zone; Route 53 lists no name servers, so each zone costs one more call to learn them. */
    @Override
    public List<ProviderZone> zones() {
        return call(() -> hostedZonesFrom(null).filter(Route53Dns::isPublic).map(this::withNameServers).toList());
    }

    /** The public hosted zone of that name; Route 53 allows several, the first one listed is taken. */
    @Override
    public Optional<ProviderZone> findZone(String name) {
        return call(() -> publicZonesNamed(name).findFirst().map(this::withNameServers));
    }

    /**
     * Route 53 would create a second zone of the same name (with other name servers), so an existing one is refused
     * here. The caller reference is new for this call and the same in the SDK's retries of it: when an attempt
     * created the zone but its answer was lost, the retry is refused as HostedZoneAlreadyExists and the zone of this
     * caller reference is the result.
     */
    @Override
    public ProviderZone createZone(String name) {
        return call(() -> {
            Optional<HostedZone> existing = publicZonesNamed(name).findFirst();
            if (existing.isPresent()) {
                throw errors.failure(Reason.CONFLICT, "the account already has a hosted zone " + name + " ("
                        + zoneId(existing.get().id()) + ")", null);
            }
            String callerReference = CALLER_REFERENCE_PREFIX + UUID.randomUUID();
            try {
                var created = route53.createHostedZone(request -> request.name(absolute(name))
                        .callerReference(callerReference).hostedZoneConfig(config -> config.comment(COMMENT)));
                return zone(created.hostedZone(), created.delegationSet().nameServers());
            } catch (HostedZoneAlreadyExistsException refusedRetry) {
                return publicZonesNamed(name).filter(zone -> callerReference.equals(zone.callerReference()))
                        .findFirst().map(this::withNameServers).orElseThrow(() -> refusedRetry);
            }
        });
    }

    /**
     * Route 53 deletes only a zone without records other than its own SOA and NS at the apex, so the others go first
     * in one change batch.
     */
    @Override
    public void deleteZone(ProviderZone zone) {
        call(() -> {
            try {
                List<Change> deletions = recordSetsFrom(zone.id(), null, null)
                        .filter(set -> !isZonesOwn(zone, set))
                        .map(set -> change(ChangeAction.DELETE, set))
                        .toList();
                submit(zone.id(), deletions);
                route53.deleteHostedZone(request -> request.id(zone.id()));
            } catch (NoSuchHostedZoneException alreadyGone) {
                // The wanted outcome: the zone is not there.
            }
            return null;
        });
    }

    @Override
    public List<RecordSet> recordSets(ProviderZone zone) {
        return call(() -> recordSetsFrom(zone.id(), null, null).map(Route53Records::toRecordSet)
                .flatMap(Optional::stream).toList());
    }

    /**
     * One change batch: UPSERT for each replacement, DELETE for each set a deletion removes. Route 53 deletes only
     * a set given exactly as it stands (TTL and values), so the sets are read first and sent back as read; a deletion
     * of a set that is not there is left out.
     */
    @Override
    public void apply(ProviderZone zone, List<RecordSetChange> changes) {
        call(() -> {
            List<Change> batch = new ArrayList<>();
            for (RecordSetChange change : changes) {
                switch (change) {
                    case RecordSetChange.Replace replace -> batch.add(change(ChangeAction.UPSERT,
                            Route53Records.toResourceRecordSet(replace.set())));
                    case RecordSetChange.Delete delete -> existingSets(zone.id(), delete.name(), delete.type())
                            .forEach(set -> batch.add(change(ChangeAction.DELETE, set)));
                }
            }
            submit(zone.id(), batch);
            return null;
        });
    }

    private void submit(String zoneId, List<Change> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ChangeInfo change = route53.changeResourceRecordSets(request -> request.hostedZoneId(zoneId)
                .changeBatch(changeBatch -> changeBatch.comment(COMMENT).changes(batch))).changeInfo();
        awaitInSync(change);
    }

    private void awaitInSync(ChangeInfo change) {
        String changeId = change.id().substring(change.id().lastIndexOf('/') + 1);
        Instant deadline = Instant.now().plus(syncTimeout);
        ChangeStatus status = change.status();
        while (status != ChangeStatus.INSYNC) {
            if (!Instant.now().isBefore(deadline)) {
                throw errors.failure(Reason.UNAVAILABLE, "Route 53 accepted change " + changeId
                        + " but had not applied it on all its name servers after " + syncTimeout, null);
            }
            pause(changeId);
            status = route53.getChange(request -> request.id(changeId)).changeInfo().status();
        }
    }

    private void pause(String changeId) {
        try {
            Thread.sleep(syncPollInterval);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw errors.failure(Reason.UNAVAILABLE, "interrupted while waiting for Route 53 to apply change "
                    + changeId, interrupted);
        }
    }

    /** The sets of that name and type as Route 53 holds them: one, or several with routing policies. */
    private List<ResourceRecordSet> existingSets(String zoneId, String name, RecordType type) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return recordSetsFrom(zoneId, absolute(name), type.name())
                .takeWhile(set -> panelName(set.name()).equals(wanted) && set.typeAsString().equals(type.name()))
                .toList();
    }

    /** The zone's sets in Route 53's order, from the given name and type on, read page by page as needed. */
    private Stream<ResourceRecordSet> recordSetsFrom(String zoneId, @Nullable String name, @Nullable String type) {
        return Stream.iterate(listRecordSets(zoneId, name, type, null), Objects::nonNull,
                        page -> page.isTruncated() ? listRecordSets(zoneId, page.nextRecordName(),
                                page.nextRecordTypeAsString(), page.nextRecordIdentifier()) : null)
                .flatMap(page -> page.resourceRecordSets().stream());
    }

    private ListResourceRecordSetsResponse listRecordSets(String zoneId, @Nullable String name, @Nullable String type,
                                                          @Nullable String identifier) {
        return route53.listResourceRecordSets(request -> request.hostedZoneId(zoneId).startRecordName(name)
                .startRecordType(type).startRecordIdentifier(identifier));
    }

    private Stream<HostedZone> publicZonesNamed(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return hostedZonesFrom(absolute(wanted))
                .takeWhile(zone -> panelName(zone.name()).equals(wanted))
                .filter(Route53Dns::isPublic);
    }

    /** The account's hosted zones in Route 53's order (by name, labels reversed), from the given name on. */
    private Stream<HostedZone> hostedZonesFrom(@Nullable String dnsName) {
        return Stream.iterate(listHostedZones(dnsName, null), Objects::nonNull,
                        page -> page.isTruncated() ? listHostedZones(page.nextDNSName(), page.nextHostedZoneId()) : null)
                .flatMap(page -> page.hostedZones().stream());
    }

    private ListHostedZonesByNameResponse listHostedZones(@Nullable String dnsName, @Nullable String zoneId) {
        return route53.listHostedZonesByName(request -> request.dnsName(dnsName).hostedZoneId(zoneId));
    }

    private ProviderZone withNameServers(HostedZone zone) {
        String id = zoneId(zone.id());
        return zone(zone, route53.getHostedZone(request -> request.id(id)).delegationSet().nameServers());
    }

    private static ProviderZone zone(HostedZone zone, List<String> nameServers) {
        return new ProviderZone(zoneId(zone.id()), panelName(zone.name()),
                nameServers.stream().map(Route53Records::panelName).toList());
    }

    private static boolean isPublic(HostedZone zone) {
        return zone.config() == null || !Boolean.TRUE.equals(zone.config().privateZone());
    }

    /** The SOA and NS sets at the apex, which Route 53 made with the zone and removes with it. */
    private static boolean isZonesOwn(ProviderZone zone, ResourceRecordSet set) {
        return panelName(set.name()).equals(zone.name())
                && (set.typeAsString().equals("SOA") || set.typeAsString().equals("NS"));
    }

    private static Change change(ChangeAction action, ResourceRecordSet set) {
        return Change.builder().action(action).resourceRecordSet(set).build();
    }

    private <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException failure) {
            throw errors.translate(failure);
        }
    }
}
