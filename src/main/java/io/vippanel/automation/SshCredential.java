package io.vippanel.automation;

/**
 * How the panel logs in to a server: normally with its own key; a password only once, to install that key on a
 * server someone else set up.
 */
public sealed interface SshCredential permits SshKey, SshPassword {
}
