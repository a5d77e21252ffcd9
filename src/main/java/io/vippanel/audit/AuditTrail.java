package io.vippanel.audit;

import io.vippanel.audit.internal.AuditRepository;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.TenantScope;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit entries in the same transaction as the act they record, reads them within the actor's
 * subtree, and verifies the hash chain.
 */
@Service
public class AuditTrail {

    private final AuditRepository repository;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditTrail(AuditRepository repository) {
        this.repository = repository;
    }

    /** Records an event in the publisher's transaction, or in a new one when there is none. */
    @EventListener
    @Transactional(propagation = Propagation.REQUIRED)
    public void on(AuditEvent event) {
        RequestOrigin origin = RequestOrigin.current();
        repository.append(event, origin, json.writeValueAsString(event.details()));
    }

    @Transactional(readOnly = true)
    public List<AuditEntry> list(Actor actor, AuditFilter filter, int limit, int offset) {
        AccessPolicy.require(actor, Permission.AUDIT_VIEW);
        return repository.list(actor.actingTenantPath(), filter, Math.clamp(limit, 1, 1000), Math.max(0, offset));
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, AuditFilter filter) {
        AccessPolicy.require(actor, Permission.AUDIT_VIEW);
        return repository.count(actor.actingTenantPath(), filter);
    }

    /** The outcome of checking the chain: intact, or the first entry whose link is broken. */
    public record Verification(boolean intact, long checked, String message) {
    }

    public Verification verify() {
        return TenantScope.callAsSystem(repository::verify);
    }
}
