package io.vippanel.automation.internal;

/** Why a server's host key was refused; both mean nothing was run on it. */
public enum HostKeyProblem {
    /** A key is pinned for this host and the server offered a different one (rebuilt server, or interception). */
    CHANGED,
    /** No pinned key covers this address and port, or the key type the server offered. */
    NOT_PINNED
}
