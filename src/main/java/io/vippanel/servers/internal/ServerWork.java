package io.vippanel.servers.internal;

import io.vippanel.automation.PlaybookJobs;
import io.vippanel.automation.PlaybookResult;
import io.vippanel.automation.PlaybookRun;
import io.vippanel.automation.SshKey;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ServerStatus;
import io.vippanel.tenancy.SystemTransactions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the servers module's jobs share: loading the server in the system scope, changing its status (announced
 * live), the variables every playbook gets, and running a playbook with the server's key.
 */
@Component
public class ServerWork {

    private final ServerRepository repository;
    private final ServerAccessRepository access;
    private final ServerSecrets secrets;
    private final ServerEvents events;
    private final SystemTransactions tx;
    private final PlaybookJobs playbooks;
    private final VipProperties.Servers settings;
    private final Clock clock;

    public ServerWork(ServerRepository repository, ServerAccessRepository access, ServerSecrets secrets, ServerEvents events,
                      SystemTransactions tx, PlaybookJobs playbooks, VipProperties properties, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.secrets = secrets;
        this.events = events;
        this.tx = tx;
        this.playbooks = playbooks;
        this.settings = properties.servers();
        this.clock = clock;
    }

    public VipProperties.Servers settings() {
        return settings;
    }

    public ServerSecrets secrets() {
        return secrets;
    }

    public Clock clock() {
        return clock;
    }

    /** The job's server as it is now; a job whose server is gone fails for good. */
    public ServerRecord server(JobContext job) {
        String id = job.job().targetId();
        if (id == null) {
            throw JobFailure.permanent("The job names no server.");
        }
        return tx.call(() -> repository.find("/", id)).orElseThrow(() -> JobFailure.permanent("Server " + id + " no longer exists."));
    }

    public ServerRecord reload(ServerRecord server) {
        return reload(server.id());
    }

    public ServerRecord reload(String serverId) {
        return tx.call(() -> repository.find("/", serverId)).orElseThrow(() -> JobFailure.permanent("Server " + serverId + " no longer exists."));
    }

    public void status(ServerRecord server, ServerStatus status, @Nullable String note, @Nullable String failedStep) {
        tx.run(() -> {
            repository.setStatus(server.id(), status, note, failedStep);
            events.status(server.tenantPath(), server.id(), status, note);
        });
    }

    public <T> T read(java.util.function.Function<ServerRepository, T> read) {
        return tx.call(() -> read.apply(repository));
    }

    public void update(Consumer<ServerRepository> change) {
        tx.run(() -> change.accept(repository));
    }

    public void updateAccess(Consumer<ServerAccessRepository> change) {
        tx.run(() -> change.accept(access));
    }

    public <T> T readAccess(java.util.function.Function<ServerAccessRepository, T> read) {
        return tx.call(() -> read.apply(access));
    }

    public void announce(ServerRecord server) {
        ServerRecord now = reload(server);
        tx.run(() -> events.status(now.tenantPath(), now.id(), now.status(), now.statusNote()));
    }

    /** Day-two work runs only on a provisioned server that no lifecycle job is changing. */
    public static ServerRecord requireReady(ServerRecord server) {
        if (server.status() != ServerStatus.READY) {
            throw JobFailure.permanent("The server is " + server.status().key() + "; this needs a ready server.");
        }
        return server;
    }

    /** The public key lines the admin user must accept: the panel's own key(s) first, then people's. */
    public List<String> authorizedKeys(ServerRecord server, String... panelKeys) {
        List<String> keys = new ArrayList<>(List.of(panelKeys));
        if (keys.isEmpty()) {
            keys.add(server.panelPublicKey());
        }
        keys.addAll(tx.call(() -> access.wantedKeyLines(server.id())));
        return keys;
    }

    /** The firewall rules the server must have beyond the base set. */
    public List<Map<String, String>> firewallRules(ServerRecord server) {
        List<Map<String, String>> rules = new ArrayList<>();
        for (var rule : tx.call(() -> access.rules(server.id()))) {
            if (!rule.status().equals("removing")) {
                rules.add(Map.of("port", rule.port(), "protocol", rule.protocol(), "source", rule.source(),
                        "comment", rule.comment().isEmpty() ? "vip " + rule.id() : rule.comment()));
            }
        }
        return rules;
    }

    /** Where the server sees the panel come from: the configured addresses, else the local address towards it. */
    public List<String> panelAddresses(ServerRecord server) {
        if (!settings.panelAddresses().isEmpty()) {
            return settings.panelAddresses();
        }
        String address = server.address();
        if (address == null) {
            return List.of();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(address), server.sshPort()));
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? List.of() : List.of(local.getHostAddress());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Variables every server playbook takes. */
    public Map<String, @Nullable Object> baseVars(ServerRecord server) {
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("panel_id", server.id());
        vars.put("server_hostname", server.name());
        vars.put("admin_user", server.adminUser());
        vars.put("ssh_port", server.sshPort());
        vars.put("panel_addresses", panelAddresses(server));
        return vars;
    }

    /** Runs a playbook on the server as its current login user with the panel's key. */
    public PlaybookResult playbook(JobContext job, ServerRecord server, String playbook, Map<String, @Nullable Object> vars,
                                   Set<String> secretVars, @Nullable Duration timeout) {
        return playbook(job, server, secrets.panelKey(server), playbook, vars, secretVars, timeout);
    }

    public PlaybookResult playbook(JobContext job, ServerRecord server, SshKey key, String playbook,
                                   Map<String, @Nullable Object> vars, Set<String> secretVars, @Nullable Duration timeout) {
        PlaybookResult result = playbooks.run(job, new PlaybookRun(playbook, server.host(), key, vars, secretVars, timeout));
        tx.run(() -> repository.seen(server.id(), clock.instant()));
        return result;
    }
}
