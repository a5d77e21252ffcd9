package io.vippanel.dns.internal;

import io.vippanel.dns.DnsZone;
import io.vippanel.jobs.RecurringWork;
import io.vippanel.platform.VipProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Compares every created zone with its provider on a schedule; the zone page shows what differs. */
@Component
class DriftSweep implements RecurringWork {

    private static final Logger log = LoggerFactory.getLogger(DriftSweep.class);

    private final DriftCheck drift;
    private final DnsWork work;
    private final Duration every;

    DriftSweep(DriftCheck drift, DnsWork work, VipProperties properties) {
        this.drift = drift;
        this.work = work;
        this.every = properties.dns().driftInterval();
    }

    @Override
    public String name() {
        return "dns.drift-sweep";
    }

    @Override
    public Duration every() {
        return every;
    }

    @Override
    public void run() {
        for (DnsZone zone : work.tx().call(() -> work.repository().active())) {
            try {
                drift.check(zone);
            } catch (RuntimeException e) {
                // One provider's outage must not keep the other zones from being checked; the next sweep tries again.
                log.warn("Drift check of zone {} failed: {}", zone.name(), e.getMessage());
            }
        }
    }
}
