package io.vippanel.servers;

import io.vippanel.jobs.Job;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.servers.internal.ServerAccessRepository;
import io.vippanel.servers.internal.ServerInput;
import io.vippanel.servers.internal.ServerJobTypes;
import io.vippanel.servers.internal.ServerRecord;
import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who and what may reach a server: people's SSH keys for its admin user, and firewall rules beyond the base set.
 * Changes are recorded as pending and applied by a job that writes the whole wanted set, so the server ends up
 * exactly as the panel lists it.
 */
@Service
public class ServerAccess {

    /** Ports every server keeps open whatever the rules say; a rule for them would change nothing. */
    public static final Set<String> BASE_PORTS = Set.of("22", "80", "443");
    private static final int MAX_RULES = 100;
    private static final int MAX_KEYS = 100;

    private final Servers servers;
    private final ServerAccessRepository repository;
    private final Clock clock;

    public ServerAccess(Servers servers, ServerAccessRepository repository, Clock clock) {
        this.servers = servers;
        this.repository = repository;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<ServerSshKey> keys(Actor actor, String serverId) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        return repository.keys(servers.visible(actor, serverId).id());
    }

    @Transactional
    public ServerSshKey addKey(Actor actor, String serverId, @Nullable String name, @Nullable String publicKey) {
        ServerRecord server = servers.readyServer(actor, serverId);
        Validation validation = new Validation();
        String label = name == null || name.isBlank() ? "" : validation.requiredText("name", name, 80);
        SshKeyMaterial.PublicKey key = null;
        try {
            key = SshKeyMaterial.parsePublicKey("publicKey", publicKey);
            if (repository.fingerprintPresent(server.id(), key.fingerprint())) {
                validation.reject("publicKey", "This key is already on the server (" + key.fingerprint() + ").");
            }
            if (key.line().equals(server.panelPublicKey()) || key.fingerprint().equals(server.view().panelKeyFingerprint())) {
                validation.reject("publicKey", "This is the panel's own key.");
            }
        } catch (InvalidInput e) {
            validation.reject("publicKey", e.fieldErrors().get("publicKey"));
        }
        if (repository.keys(server.id()).size() >= MAX_KEYS) {
            validation.reject("publicKey", "A server takes at most " + MAX_KEYS + " keys.");
        }
        validation.throwIfInvalid();
        SshKeyMaterial.PublicKey parsed = java.util.Objects.requireNonNull(key);
        String id = Ids.newId("key");
        repository.insertKey(id, server.tenantId(), server.id(), label.isEmpty() ? Servers.keyName(parsed) : label, parsed,
                actor.userId(), clock.instant());
        Job job = servers.enqueue(actor, server, ServerJobTypes.SSH_KEYS, "Install SSH key on " + server.name(), Map.of("added", id));
        servers.audit(actor, server, "server.ssh_key_add", Map.of("key", id, "fingerprint", parsed.fingerprint(), "job", job.id()));
        return repository.key(server.id(), id).orElseThrow();
    }

    @Transactional
    public Job removeKey(Actor actor, String serverId, String keyId) {
        ServerRecord server = servers.readyServer(actor, serverId);
        ServerSshKey key = repository.key(server.id(), keyId).orElseThrow(() -> new NotFound("SSH key", keyId));
        repository.setKeyStatus(key.id(), "removing");
        Job job = servers.enqueue(actor, server, ServerJobTypes.SSH_KEYS, "Remove SSH key from " + server.name(), Map.of("removed", keyId));
        servers.audit(actor, server, "server.ssh_key_remove", Map.of("key", keyId, "fingerprint", key.fingerprint(), "job", job.id()));
        return job;
    }

    @Transactional(readOnly = true)
    public List<FirewallRule> rules(Actor actor, String serverId) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        return repository.rules(servers.visible(actor, serverId).id());
    }

    @Transactional
    public FirewallRule addRule(Actor actor, String serverId, @Nullable String port, @Nullable String protocol,
                                @Nullable String source, @Nullable String comment) {
        ServerRecord server = servers.readyServer(actor, serverId);
        Validation validation = new Validation();
        String ports = ServerInput.portRange(validation, "port", port);
        String proto = protocol == null || protocol.isBlank() ? "tcp" : protocol.strip().toLowerCase(java.util.Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            validation.reject("protocol", "Choose tcp or udp.");
        }
        String from = ServerInput.source(validation, "source", source);
        String note = comment == null ? "" : comment.strip();
        if (!note.isEmpty()) {
            note = validation.requiredText("comment", note, 60);
            if (!note.matches("[A-Za-z0-9 ._:/()-]*")) {
                validation.reject("comment", "Letters, digits, spaces and . _ : / ( ) - only.");
            }
        }
        if (!validation.hasErrors()) {
            if (proto.equals("tcp") && BASE_PORTS.contains(ports) && from.equals("any")) {
                validation.reject("port", "Port " + ports + " is always open on managed servers.");
            } else if (repository.ruleExists(server.id(), ports, proto, from)) {
                validation.reject("port", "This rule already exists.");
            } else if (repository.rules(server.id()).size() >= MAX_RULES) {
                validation.reject("port", "A server takes at most " + MAX_RULES + " rules.");
            }
        }
        validation.throwIfInvalid();
        String id = Ids.newId("fwr");
        repository.insertRule(id, server.tenantId(), server.id(), ports, proto, from, note, actor.userId(), clock.instant());
        Job job = servers.enqueue(actor, server, ServerJobTypes.FIREWALL, "Open " + ports + "/" + proto + " on " + server.name(),
                Map.of("added", id));
        servers.audit(actor, server, "server.firewall_rule_add",
                Map.of("rule", id, "port", ports, "protocol", proto, "source", from, "job", job.id()));
        return repository.rule(server.id(), id).orElseThrow();
    }

    @Transactional
    public Job removeRule(Actor actor, String serverId, String ruleId) {
        ServerRecord server = servers.readyServer(actor, serverId);
        FirewallRule rule = repository.rule(server.id(), ruleId).orElseThrow(() -> new NotFound("Firewall rule", ruleId));
        repository.setRuleStatus(rule.id(), "removing");
        Job job = servers.enqueue(actor, server, ServerJobTypes.FIREWALL,
                "Close " + rule.port() + "/" + rule.protocol() + " on " + server.name(), Map.of("removed", ruleId));
        servers.audit(actor, server, "server.firewall_rule_remove",
                Map.of("rule", ruleId, "port", rule.port(), "protocol", rule.protocol(), "source", rule.source(), "job", job.id()));
        return job;
    }
}
