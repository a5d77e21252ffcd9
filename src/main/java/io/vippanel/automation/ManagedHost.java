package io.vippanel.automation;

import java.util.regex.Pattern;

/**
 * A server the panel connects to, with its pinned SSH host keys.
 *
 * <p>{@code knownHosts} holds the OpenSSH known_hosts lines pinned for this server when it was added (stored in
 * the database); the runners trust those keys and no other. There is no trust on first use: a host without pinned
 * keys cannot be described here at all. Address and user are checked strictly because they end up in ssh's command
 * line and in ansible's inventory, where a value starting with {@code -} or holding template markup would be
 * read as something else.
 *
 * @param address    IPv4/IPv6 address or DNS name
 * @param port       SSH port
 * @param user       login user on the server
 * @param knownHosts pinned OpenSSH known_hosts lines, e.g. {@code [203.0.113.7]:2222 ssh-ed25519 AAAA...}
 */
public record ManagedHost(String address, int port, String user, String knownHosts) {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9:][A-Za-z0-9.:-]{0,252}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    public ManagedHost {
        checkedAddress(address);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port out of range: " + port);
        }
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("Not a valid login name: " + user);
        }
        if (knownHosts == null || knownHosts.lines().map(String::strip).noneMatch(line -> !line.isEmpty() && !line.startsWith("#"))) {
            throw new IllegalArgumentException("No pinned SSH host key for " + address + ":" + port
                    + "; pin the server's host key before connecting (the panel never trusts a key on first use).");
        }
    }

    /**
     * @return the address, when it has the shape of a host name or IP literal (nothing that a command line or an
     *         inventory could read as an option or markup)
     * @throws IllegalArgumentException otherwise
     */
    public static String checkedAddress(String address) {
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("Not a host name or IP address: " + address);
        }
        return address;
    }

    /** {@code address:port}, with brackets around an IPv6 address, for messages. */
    public String endpoint() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** What to tell a person when the server presents a key other than the pinned one. */
    public String hostKeyChangedMessage() {
        return "The SSH host key of " + endpoint() + " does not match the pinned key. If the server was rebuilt, "
                + "re-pin its key; otherwise someone may be intercepting the connection.";
    }

    /** What to tell a person when none of the pinned keys is for this address and port or for the key type offered. */
    public String hostKeyNotPinnedMessage() {
        return "The SSH host key of " + endpoint() + " is not among the keys pinned for it (none for this address "
                + "and port, or none of the type the server offers). Pin the server's key before connecting; the panel "
                + "never trusts a key on first use.";
    }
}
