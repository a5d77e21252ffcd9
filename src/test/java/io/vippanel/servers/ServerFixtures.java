package io.vippanel.servers;

import io.vippanel.platform.Ids;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.servers.internal.ProviderAccountRepository;
import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.support.Fixture;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.tenancy.Tenant;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Servers and provider accounts for page tests, made without a reachable provider or a real machine: accounts are
 * written directly with encrypted credentials, servers are custom servers created through the service (their
 * provisioning job stays queued where no worker runs) and then marked ready with a pinned host key.
 */
public final class ServerFixtures {

    private final ApplicationContext context;
    private final SystemTransactions system;
    private final JdbcClient jdbc;

    public ServerFixtures(ApplicationContext context) {
        this.context = context;
        this.system = context.getBean(SystemTransactions.class);
        this.jdbc = JdbcClient.create(context.getBean(DataSource.class));
    }

    /** A Hetzner account of {@code tenant}; the provider is never called by the pages that only list it. */
    public String providerAccount(Tenant tenant, String name) {
        return providerAccount(tenant, name, Ids.newId("pac"));
    }

    /** The account with a given id, e.g. to put back one that a test deleted. */
    public String providerAccount(Tenant tenant, String name, String id) {
        SecretBox secrets = context.getBean(SecretBox.class);
        String encrypted = secrets.encrypt("{\"token\":\"" + "t".repeat(64) + "\"}", ProviderAccounts.CREDENTIALS_COLUMN.boundTo(id));
        system.run(() -> context.getBean(ProviderAccountRepository.class).insert(id, tenant.id(), tenant.path(), ProviderKind.HETZNER,
                name, false, encrypted, "…tttt", null, null, Instant.now()));
        return id;
    }

    /** The form of a custom server, as the wizard sends it. */
    public static NewServer customServer(String name, String address) {
        return new NewServer("custom", name, null, null, OsImage.UBUNTU_24_04.name(), "", "nginx", List.of("8.3"), "8.3", "mariadb",
                false, false, address, "22", "root", "password", "a bootstrap password", null);
    }

    /** A custom server of the owner's tenant, marked ready with a pinned host key. */
    public Server readyServer(Actor owner, String name, String address) {
        Server created = Fixture.as(owner, () -> context.getBean(Servers.class).create(owner, customServer(name, address)));
        markReady(created.id());
        return created;
    }

    /** Puts a server back to ready, with a pinned host key (the panel's own public key stands in for the host's). */
    public void markReady(String serverId) {
        system.run(() -> jdbc.sql("""
                UPDATE servers SET status = 'ready', status_note = NULL, failed_step = NULL,
                       host_keys = coalesce(ipv4, ipv6) || ' ' || split_part(panel_public_key, ' ', 1) || ' ' || split_part(panel_public_key, ' ', 2),
                       provisioned_at = coalesce(provisioned_at, now())
                 WHERE id = ?""").params(serverId).update());
    }

    /** A person's key on the server (pending until a worker installs it). */
    public String sshKey(Actor owner, String serverId) {
        String line = SshKeyMaterial.generateEd25519("fixture@" + Ids.randomToken(4)).publicKeyLine();
        return Fixture.as(owner, () -> context.getBean(ServerAccess.class).addKey(owner, serverId, "Fixture key", line)).id();
    }

    /** An extra firewall rule on the server. */
    public String firewallRule(Actor owner, String serverId, int port) {
        return Fixture.as(owner, () -> context.getBean(ServerAccess.class).addRule(owner, serverId, Integer.toString(port), "tcp", "any",
                "fixture")).id();
    }

    /** A new public key line, for forms that add one. */
    public static String newPublicKey() {
        return SshKeyMaterial.generateEd25519("form@" + Ids.randomToken(4)).publicKeyLine();
    }
}
