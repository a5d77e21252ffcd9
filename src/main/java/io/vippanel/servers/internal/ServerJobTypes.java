package io.vippanel.servers.internal;

/** Names of the servers module's job types (stored with every job). */
public final class ServerJobTypes {

    public static final String PROVISION = "servers.provision";
    public static final String FIREWALL = "servers.firewall";
    public static final String SSH_KEYS = "servers.ssh-keys";
    public static final String SERVICES = "servers.services";
    public static final String PHP = "servers.php";
    public static final String ROTATE_KEY = "servers.rotate-key";
    public static final String REBOOT = "servers.reboot";
    public static final String RESIZE = "servers.resize";
    public static final String DELETE = "servers.delete";

    private ServerJobTypes() {
    }
}
