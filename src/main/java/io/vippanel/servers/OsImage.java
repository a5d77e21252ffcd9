package io.vippanel.servers;

/** The operating systems the provisioning playbook supports; each provider maps them to its own image ids. */
public enum OsImage {
    UBUNTU_22_04("Ubuntu 22.04 LTS", "ubuntu", "22.04"),
    UBUNTU_24_04("Ubuntu 24.04 LTS", "ubuntu", "24.04"),
    DEBIAN_12("Debian 12 (bookworm)", "debian", "12"),
    DEBIAN_13("Debian 13 (trixie)", "debian", "13");

    private final String displayName;
    private final String distribution;
    private final String version;

    OsImage(String displayName, String distribution, String version) {
        this.displayName = displayName;
        this.distribution = distribution;
        this.version = version;
    }

    public String displayName() {
        return displayName;
    }

    /** {@code ubuntu} or {@code debian}. */
    public String distribution() {
        return distribution;
    }

    /** {@code 22.04}, {@code 24.04}, {@code 12}, {@code 13}. */
    public String version() {
        return version;
    }
}
