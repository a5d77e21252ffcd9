package io.vippanel.servers;

/** Where a server comes from: a cloud provider's API, or an existing machine reached over SSH. */
public enum ProviderKind {
    HETZNER("Hetzner Cloud"),
    DIGITALOCEAN("DigitalOcean"),
    VULTR("Vultr"),
    AWS("AWS EC2"),
    CUSTOM("Custom server (SSH)");

    private final String displayName;

    ProviderKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** Whether the panel creates and deletes the machine through an API (everything but custom servers). */
    public boolean isCloud() {
        return this != CUSTOM;
    }
}
