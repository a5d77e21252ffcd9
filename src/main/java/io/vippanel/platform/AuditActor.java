package io.vippanel.platform;

/** The parts of a signed-in principal that an audit entry names. */
public interface AuditActor {

    String userId();

    String email();

    String tenantId();
}
