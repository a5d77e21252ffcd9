package io.vippanel.automation;

/**
 * A login password held in memory for the one login that installs the panel's key on an existing server. Like
 * {@link SshKey} it never shows itself in {@link #toString()}.
 */
public final class SshPassword implements SshCredential {

    private final String password;

    private SshPassword(String password) {
        this.password = password;
    }

    /** @throws IllegalArgumentException when the password is empty */
    public static SshPassword of(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The SSH password is empty.");
        }
        return new SshPassword(password);
    }

    /** The password, for the SSH client only; never log it or store it unencrypted. */
    public String reveal() {
        return password;
    }

    @Override
    public String toString() {
        return "SshPassword[********]";
    }
}
