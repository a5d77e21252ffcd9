package io.vippanel.servers.internal.provider;

/** A VM's state, reduced to what the panel acts on. */
public enum VmState {
    /** Being created or booting. */
    STARTING,
    RUNNING,
    /** Stopped or powered off. */
    OFF,
    /** Being deleted or gone. */
    DELETING,
    /** A state the panel does not map (migrating, rebuilding, ...). */
    UNKNOWN
}
