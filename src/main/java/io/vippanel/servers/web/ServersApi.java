package io.vippanel.servers.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.jobs.Job;
import io.vippanel.platform.Validation;
import io.vippanel.servers.FirewallRule;
import io.vippanel.servers.NewServer;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerAccess;
import io.vippanel.servers.ServerSshKey;
import io.vippanel.servers.Servers;
import io.vippanel.tenancy.Actor;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/servers}: create servers, read them, and act on them. Everything that touches the machine runs
 * as a background job: such calls answer 202 with the job, to follow at {@code /api/v1/jobs/{id}}.
 */
@RestController
@RequestMapping("/api/v1/servers")
@Tag(name = "Servers", description = "Managed servers: create, provision, firewall, SSH keys, services, PHP, reboot, resize, delete.")
class ServersApi {

    static final int MAX_LIMIT = Servers.MAX_PAGE;

    @Schema(name = "Server", description = "A managed server. No secret is ever part of it; keys show as fingerprints.")
    record ServerJson(String id, String tenantId, String name,
                      @Schema(allowableValues = {"hetzner", "digitalocean", "vultr", "aws", "custom"}) String provider,
                      @Nullable String providerAccountId, @Nullable String providerAccountName, @Nullable String providerVmId,
                      @Nullable String region, @Nullable String size, String image,
                      @Schema(allowableValues = {"queued", "provisioning", "ready", "failed", "deleting"}) String status,
                      @Schema(description = "What it is doing, or why it failed") @Nullable String statusNote,
                      @Schema(description = "The step that failed") @Nullable String failedStep,
                      @Nullable String ipv4, @Nullable String ipv6, int sshPort, String sshUser, String adminUser,
                      Map<String, Object> stack, List<String> hostKeyFingerprints, String panelKeyFingerprint,
                      Instant panelKeyCreatedAt, Map<String, String> services, @Nullable Instant servicesCheckedAt,
                      Map<String, Object> facts, @Nullable Long uptimeSeconds, @Nullable Instant lastSeenAt,
                      @Nullable Instant provisionedAt, @Nullable String lastJobId, Instant createdAt) {
        static ServerJson of(Server server) {
            Map<String, Object> stack = Map.of("webServer", server.stack().webServer(), "phpVersions", server.stack().phpVersions(),
                    "phpDefaultVersion", server.stack().phpDefaultVersion(), "database", server.stack().database().key(),
                    "nodejs", server.stack().nodejs(), "redis", server.stack().redis());
            return new ServerJson(server.id(), server.tenantId(), server.name(), server.providerKind().name().toLowerCase(Locale.ROOT),
                    server.providerAccountId(), server.providerAccountName(), server.providerVmId(), server.region(), server.size(),
                    server.image().name(), server.status().key(), server.statusNote(), server.failedStep(), server.ipv4(), server.ipv6(),
                    server.sshPort(), server.sshUser(), server.adminUser(), stack, server.hostKeyFingerprints(),
                    server.panelKeyFingerprint(), server.panelKeyCreatedAt(), server.services(), server.servicesCheckedAt(),
                    server.facts(), server.uptimeSeconds(), server.lastSeenAt(), server.provisionedAt(), server.lastJobId(),
                    server.createdAt());
        }
    }

    @Schema(name = "ServerPage")
    record ServerPage(List<ServerJson> items, long total, int limit, int offset) {
    }

    @Schema(name = "NewServer", description = "provider is a provider account id, or 'custom' for an existing machine "
            + "(then address, sshPort, sshUser, authMethod 'password' or 'key', and password or privateKey, used once to install "
            + "the panel's own key and then deleted). image: UBUNTU_22_04, UBUNTU_24_04, DEBIAN_12 or DEBIAN_13. "
            + "sshKeys: public keys to install, one per line.")
    record CreateServer(@Nullable String provider, @Nullable String name, @Nullable String region, @Nullable String size,
                        @Nullable String image, @Nullable String sshKeys, @Nullable String webServer,
                        @Nullable List<String> phpVersions, @Nullable String phpDefaultVersion,
                        @Schema(allowableValues = {"mariadb", "postgresql", "none"}) @Nullable String database,
                        @Nullable Boolean nodejs, @Nullable Boolean redis, @Nullable String address, @Nullable Integer sshPort,
                        @Nullable String sshUser, @Nullable String authMethod, @Nullable String password,
                        @Nullable String privateKey) {
        @Override
        public String toString() {
            return "CreateServer[" + provider + ", " + name + "]";
        }
    }

    @Schema(name = "ServerCreated", description = "The new server (queued) and the job provisioning it.")
    record Created(ServerJson server, String jobId) {
    }

    @Schema(name = "JobAccepted", description = "The job doing the work; follow it at /api/v1/jobs/{jobId}.")
    record Accepted(String jobId, String status, String title) {
        static Accepted of(Job job) {
            return new Accepted(job.id(), job.status().key(), job.title());
        }
    }

    record Resize(@Nullable String size) {
    }

    record RestartService(@Nullable String service) {
    }

    record ChangePhp(@Nullable List<String> versions, @Nullable String defaultVersion) {
    }

    record AddKey(@Nullable String name, @Nullable String publicKey) {
    }

    record AddRule(@Nullable String port, @Nullable String protocol, @Nullable String source, @Nullable String comment) {
    }

    record DatabasePassword(@Nullable String password) {
    }

    private final Servers servers;
    private final ServerAccess access;

    ServersApi(Servers servers, ServerAccess access) {
        this.servers = servers;
        this.access = access;
    }

    @GetMapping
    @Operation(summary = "List servers", description = "Servers of the tenants the caller may see, newest first.")
    ServerPage list(@AuthenticationPrincipal Actor actor,
                    @Parameter(description = "Part of the name, an IPv4 address or a server id") @RequestParam(required = false) @Nullable String q,
                    @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, MAX_LIMIT);
        Validation validation = new Validation();
        String search = validation.optionalFilter("q", q, 100);
        validation.throwIfInvalid();
        return new ServerPage(servers.list(actor, search, limit, offset).stream().map(ServerJson::of).toList(),
                servers.count(actor, search), limit, offset);
    }

    @PostMapping
    @Operation(summary = "Create a server", description = "Writes the server queued and its provisioning job in one "
            + "transaction; answers 201. Invalid input 422; a provider that cannot be asked for its catalog 502/503.")
    ResponseEntity<Created> create(@AuthenticationPrincipal Actor actor, @RequestBody CreateServer request) {
        Server server = servers.create(actor, new NewServer(request.provider(), request.name(), request.region(), request.size(),
                request.image(), request.sshKeys(), request.webServer(), request.phpVersions(), request.phpDefaultVersion(),
                request.database(), Boolean.TRUE.equals(request.nodejs()), Boolean.TRUE.equals(request.redis()), request.address(),
                request.sshPort() == null ? null : request.sshPort().toString(), request.sshUser(), request.authMethod(),
                request.password(), request.privateKey()));
        return ResponseEntity.created(URI.create("/api/v1/servers/" + server.id()))
                .body(new Created(ServerJson.of(server), java.util.Objects.requireNonNull(server.lastJobId())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a server")
    ServerJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return ServerJson.of(servers.get(actor, id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a server", description = "Deletes the VM at the provider and the records; a custom server is "
            + "only forgotten. confirmName must be the server's name. Answers 202 with the job.")
    ResponseEntity<Accepted> delete(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                                    @RequestParam(required = false) @Nullable String confirmName) {
        return accepted(servers.delete(actor, id, confirmName));
    }

    @PostMapping("/{id}/actions/reprovision")
    @Operation(summary = "Run provisioning again", description = "After a failure, or to re-apply the configuration.")
    ResponseEntity<Accepted> reprovision(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(servers.reprovision(actor, id));
    }

    @PostMapping("/{id}/actions/reboot")
    @Operation(summary = "Reboot", description = "Through the provider's API, or over SSH for a custom server.")
    ResponseEntity<Accepted> reboot(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(servers.reboot(actor, id));
    }

    @PostMapping("/{id}/actions/resize")
    @Operation(summary = "Resize (cloud servers)", description = "Body {\"size\": \"cx32\"}: a size offered in the server's region.")
    ResponseEntity<Accepted> resize(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody Resize request) {
        return accepted(servers.resize(actor, id, request.size()));
    }

    @PostMapping("/{id}/actions/rotate-key")
    @Operation(summary = "Rotate the panel's SSH key", description = "Installs a new key, proves it logs in, then removes the old one.")
    ResponseEntity<Accepted> rotateKey(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(servers.rotatePanelKey(actor, id));
    }

    @PostMapping("/{id}/actions/refresh-services")
    @Operation(summary = "Read the services' states")
    ResponseEntity<Accepted> refreshServices(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(servers.refreshServices(actor, id));
    }

    @PostMapping("/{id}/actions/restart-service")
    @Operation(summary = "Restart a service", description = "Body {\"service\": \"nginx\"}: nginx, php<version>-fpm, mariadb, "
            + "postgresql, redis-server, fail2ban or prometheus-node-exporter, as the server has them.")
    ResponseEntity<Accepted> restartService(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                                            @RequestBody RestartService request) {
        return accepted(servers.restartService(actor, id, request.service()));
    }

    @PostMapping("/{id}/actions/php")
    @Operation(summary = "Install PHP versions and set the default", description = "Body {\"versions\": [\"8.3\"], \"defaultVersion\": \"8.3\"}; "
            + "versions are added to those installed.")
    ResponseEntity<Accepted> php(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody ChangePhp request) {
        return accepted(servers.changePhp(actor, id, request.versions(), request.defaultVersion()));
    }

    @PostMapping("/{id}/actions/database-password")
    @Operation(summary = "Show the database root password", description = "Every showing is audited.")
    DatabasePassword databasePassword(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return new DatabasePassword(servers.revealDatabasePassword(actor, id));
    }

    @GetMapping("/{id}/ssh-keys")
    @Operation(summary = "People's SSH keys on the server")
    List<ServerSshKey> keys(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return access.keys(actor, id);
    }

    @PostMapping("/{id}/ssh-keys")
    @Operation(summary = "Add an SSH key", description = "ed25519, ECDSA or RSA of 2048 bits or more, as one authorized_keys line. "
            + "Answers 202 with the key (pending until the job installed it).")
    ResponseEntity<ServerSshKey> addKey(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody AddKey request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(access.addKey(actor, id, request.name(), request.publicKey()));
    }

    @DeleteMapping("/{id}/ssh-keys/{keyId}")
    @Operation(summary = "Remove an SSH key")
    ResponseEntity<Accepted> removeKey(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String keyId) {
        return accepted(access.removeKey(actor, id, keyId));
    }

    @GetMapping("/{id}/firewall-rules")
    @Operation(summary = "Firewall rules beyond the base set", description = "The base set (SSH, HTTP, HTTPS, monitoring from the panel) is always there.")
    List<FirewallRule> rules(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return access.rules(actor, id);
    }

    @PostMapping("/{id}/firewall-rules")
    @Operation(summary = "Add a firewall rule", description = "port: 8080 or 8000:8100; protocol tcp or udp; source 'any', an "
            + "address or a CIDR block. Answers 202 with the rule (pending until the job applied it).")
    ResponseEntity<FirewallRule> addRule(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody AddRule request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(access.addRule(actor, id, request.port(), request.protocol(), request.source(), request.comment()));
    }

    @DeleteMapping("/{id}/firewall-rules/{ruleId}")
    @Operation(summary = "Remove a firewall rule")
    ResponseEntity<Accepted> removeRule(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String ruleId) {
        return accepted(access.removeRule(actor, id, ruleId));
    }

    private static ResponseEntity<Accepted> accepted(Job job) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Accepted.of(job));
    }
}
