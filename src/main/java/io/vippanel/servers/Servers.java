package io.vippanel.servers;

import io.vippanel.automation.SshKey;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.servers.internal.ServerEvents;
import io.vippanel.servers.internal.ServerInput;
import io.vippanel.servers.internal.ServerJobTypes;
import io.vippanel.servers.internal.ServerRecord;
import io.vippanel.servers.internal.ServerRepository;
import io.vippanel.servers.internal.ServerSecrets;
import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.servers.internal.ServerAccessRepository;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Servers: create (row and provisioning job in one transaction), look at, and act on them. Every action that
 * touches the machine is a job; the methods here validate, record the intent, enqueue, and audit.
 */
@Service
public class Servers {

    public static final int MAX_PAGE = 200;
    private static final int MAX_KEYS_AT_CREATE = 20;

    private final ServerRepository repository;
    private final ServerAccessRepository access;
    private final ProviderAccounts accounts;
    private final ServerSecrets secrets;
    private final ServerEvents serverEvents;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public Servers(ServerRepository repository, ServerAccessRepository access, ProviderAccounts accounts,
                   ServerSecrets secrets, ServerEvents serverEvents, Jobs jobs, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.accounts = accounts;
        this.secrets = secrets;
        this.serverEvents = serverEvents;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<Server> list(Actor actor, @Nullable String search, int limit, int offset) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        Validation.requirePage(limit, offset, MAX_PAGE);
        return repository.list(actor.actingTenantPath(), blankToNull(search), limit, offset).stream().map(ServerRecord::view).toList();
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, @Nullable String search) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        return repository.count(actor.actingTenantPath(), blankToNull(search));
    }

    @Transactional(readOnly = true)
    public Server get(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        return visible(actor, id).view();
    }

    /**
     * Validates the wizard's answers, writes the server {@code queued} and its provisioning job in this transaction.
     *
     * @throws InvalidInput     with a message per field
     * @throws ProviderException when the provider's catalog cannot be read to check region and size
     */
    @Transactional
    public Server create(Actor actor, NewServer form) {
        AccessPolicy.require(actor, Permission.SERVER_MANAGE);
        Validation validation = new Validation();
        String name = ServerInput.name(validation, "name", form.name());
        if (!validation.hasErrors() && repository.nameTaken(actor.actingTenantId(), name)) {
            validation.reject("name", "Another server of this tenant already has this name.");
        }
        OsImage image = osImage(validation, form.image());
        StackOptions stack = stack(validation, form);
        List<SshKeyMaterial.PublicKey> peopleKeys = peopleKeys(validation, form.sshKeys());

        ProviderKind kind = ProviderKind.CUSTOM;
        ProviderAccount account = null;
        String region = null;
        String size = null;
        String providerImage = null;
        String ipv4 = null;
        String ipv6 = null;
        int sshPort = 22;
        String sshUser = "root";
        String bootstrapSecret = null;
        String bootstrapKind = null;
        if (form.custom()) {
            InetAddress address = ServerInput.address(validation, "address", form.address());
            if (address != null) {
                if (address instanceof Inet6Address) {
                    ipv6 = address.getHostAddress();
                } else {
                    ipv4 = address.getHostAddress();
                }
            }
            sshPort = ServerInput.port(validation, "sshPort", form.sshPort(), 22);
            sshUser = ServerInput.user(validation, "sshUser", form.sshUser());
            String method = form.authMethod() == null ? "" : form.authMethod().strip();
            if (method.equals("password")) {
                if (form.password() == null || form.password().isEmpty() || form.password().length() > 1024) {
                    validation.reject("password", "Enter the password the panel uses once to install its own key.");
                } else {
                    bootstrapSecret = form.password();
                    bootstrapKind = "password";
                }
            } else if (method.equals("key")) {
                try {
                    bootstrapSecret = SshKey.of(form.privateKey() == null ? "" : form.privateKey()).openSshPem();
                    bootstrapKind = "key";
                } catch (IllegalArgumentException e) {
                    validation.reject("privateKey", e.getMessage());
                }
            } else {
                validation.reject("authMethod", "Choose how the panel logs in once: a password or a private key.");
            }
        } else {
            account = providerAccount(validation, actor, form.provider());
            if (account != null) {
                kind = account.kind();
                validation.throwIfInvalid();
                ProviderCatalog catalog = accounts.catalog(actor, account.id());
                region = form.region() == null ? "" : form.region().strip();
                size = form.size() == null ? "" : form.size().strip();
                if (catalog.region(region).isEmpty()) {
                    validation.reject("region", account.name() + " has no region \"" + shorten(region) + "\".");
                } else if (catalog.size(size).isEmpty()) {
                    validation.reject("size", account.name() + " has no size \"" + shorten(size) + "\".");
                } else if (!catalog.size(size).get().offeredIn(region)) {
                    validation.reject("size", "Size " + size + " is not offered in " + region + "; choose another size or region.");
                }
                if (image != null) {
                    providerImage = catalog.image(image).map(Image::id).orElse(null);
                    if (providerImage == null) {
                        validation.reject("image", account.name() + " offers no " + image.displayName() + " image.");
                    }
                }
                sshUser = "root";
            }
        }
        validation.throwIfInvalid();
        repository.limitReachedAt(actor.actingTenantId()).ifPresent(full -> {
            throw new InvalidInput("name", "The server limit of tenant \"" + full + "\" is reached.");
        });

        String id = Ids.newId("srv");
        SshKeyMaterial.KeyPair panelKey = SshKeyMaterial.generateEd25519("vip-panel@" + id);
        String databasePassword = stack.database() == DatabaseEngine.NONE ? null : Ids.randomToken(32);
        repository.insert(new ServerRepository.NewRow(id, actor.actingTenantId(), name, kind,
                account == null ? null : account.id(), region, size, java.util.Objects.requireNonNull(image), providerImage,
                ipv4, ipv6, sshPort, sshUser, "vippanel",
                secrets.seal(ServerSecrets.PANEL_KEY, id, panelKey.privateKeyPem()), panelKey.publicKeyLine(),
                bootstrapSecret == null ? null : secrets.seal(ServerSecrets.BOOTSTRAP, id, bootstrapSecret), bootstrapKind,
                databasePassword == null ? null : secrets.seal(ServerSecrets.DATABASE_ROOT, id, databasePassword), stack,
                actor.userId()), clock.instant());
        for (SshKeyMaterial.PublicKey key : peopleKeys) {
            access.insertKey(Ids.newId("key"), actor.actingTenantId(), id, keyName(key), key, actor.userId(), clock.instant());
        }
        ServerRecord created = visible(actor, id);
        Job job = enqueue(actor, created, ServerJobTypes.PROVISION, "Provision server " + name, Map.of());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put("provider", kind.name().toLowerCase(Locale.ROOT));
        if (account != null) {
            details.put("account", account.id());
            details.put("region", region);
            details.put("size", size);
        } else {
            details.put("address", ipv4 != null ? ipv4 : ipv6);
        }
        details.put("image", image.name());
        details.put("job", job.id());
        audit(actor, created, "server.create", details);
        return visible(actor, id).view();
    }

    /** Runs provisioning again (after a failure, or to re-apply the configuration). */
    @Transactional
    public Job reprovision(Actor actor, String id) {
        ServerRecord server = manageable(actor, id);
        requireIdle(server);
        repository.setStatus(id, ServerStatus.QUEUED, "Provisioning queued again.", null);
        serverEvents.status(server.tenantPath(), id, ServerStatus.QUEUED, null);
        Job job = enqueue(actor, server, ServerJobTypes.PROVISION, "Provision server " + server.name(), Map.of());
        audit(actor, server, "server.reprovision", Map.of("job", job.id()));
        return job;
    }

    @Transactional
    public Job reboot(Actor actor, String id) {
        ServerRecord server = readyServer(actor, id);
        Job job = enqueue(actor, server, ServerJobTypes.REBOOT, "Reboot server " + server.name(), Map.of());
        audit(actor, server, "server.reboot", Map.of("job", job.id()));
        return job;
    }

    @Transactional
    public Job resize(Actor actor, String id, @Nullable String newSize) {
        ServerRecord server = readyServer(actor, id);
        if (!server.providerKind().isCloud() || server.providerAccountId() == null) {
            throw new InvalidInput("size", "A custom server is resized where it runs, not through the panel.");
        }
        String size = newSize == null ? "" : newSize.strip();
        ProviderCatalog catalog = accounts.catalog(actor, server.providerAccountId());
        var offered = catalog.size(size);
        if (offered.isEmpty() || server.region() == null || !offered.get().offeredIn(server.region())) {
            throw new InvalidInput("size", "Choose a size offered in " + server.region() + ".");
        }
        if (size.equals(server.size())) {
            throw new InvalidInput("size", "The server already has this size.");
        }
        Job job = enqueue(actor, server, ServerJobTypes.RESIZE, "Resize server " + server.name() + " to " + size, Map.of("size", size));
        audit(actor, server, "server.resize", Map.of("from", String.valueOf(server.size()), "to", size, "job", job.id()));
        return job;
    }

    /**
     * Deletes a server: the VM at the provider and the records; a custom server is only forgotten.
     *
     * @param confirmName must equal the server's name
     */
    @Transactional
    public Job delete(Actor actor, String id, @Nullable String confirmName) {
        ServerRecord server = manageable(actor, id);
        if (confirmName == null || !confirmName.strip().equals(server.name())) {
            throw new InvalidInput("confirmName", "Type the server's name, " + server.name() + ", to confirm.");
        }
        if (server.status() == ServerStatus.DELETING) {
            throw new InvalidInput("confirmName", "The server is already being deleted.");
        }
        repository.setStatus(id, ServerStatus.DELETING, "Deletion queued.", null);
        serverEvents.status(server.tenantPath(), id, ServerStatus.DELETING, null);
        Job job = enqueue(actor, server, ServerJobTypes.DELETE, "Delete server " + server.name(), Map.of());
        audit(actor, server, "server.delete", Map.of("name", server.name(), "job", job.id()));
        return job;
    }

    @Transactional
    public Job rotatePanelKey(Actor actor, String id) {
        ServerRecord server = readyServer(actor, id);
        Job job = enqueue(actor, server, ServerJobTypes.ROTATE_KEY, "Rotate the panel's SSH key on " + server.name(), Map.of());
        audit(actor, server, "server.rotate_key", Map.of("job", job.id()));
        return job;
    }

    /** The services whose state the panel reads and which people may restart. */
    public static List<String> manageableServices(StackOptions stack) {
        List<String> services = new ArrayList<>();
        services.add("nginx");
        for (String version : stack.phpVersions()) {
            services.add("php" + version + "-fpm");
        }
        if (stack.database() == DatabaseEngine.MARIADB) {
            services.add("mariadb");
        } else if (stack.database() == DatabaseEngine.POSTGRESQL) {
            services.add("postgresql");
        }
        if (stack.redis()) {
            services.add("redis-server");
        }
        services.add("fail2ban");
        services.add("prometheus-node-exporter");
        return services;
    }

    /** Reads every service's state now (a job). */
    @Transactional
    public Job refreshServices(Actor actor, String id) {
        ServerRecord server = readyServer(actor, id);
        return enqueue(actor, server, ServerJobTypes.SERVICES, "Check services on " + server.name(),
                Map.of("action", "status", "services", manageableServices(server.stack())));
    }

    @Transactional
    public Job restartService(Actor actor, String id, @Nullable String service) {
        ServerRecord server = readyServer(actor, id);
        List<String> allowed = manageableServices(server.stack());
        if (service == null || !allowed.contains(service)) {
            throw new InvalidInput("service", "Choose one of: " + String.join(", ", allowed) + ".");
        }
        Job job = enqueue(actor, server, ServerJobTypes.SERVICES, "Restart " + service + " on " + server.name(),
                Map.of("action", "restart", "services", List.of(service)));
        audit(actor, server, "server.service_restart", Map.of("service", service, "job", job.id()));
        return job;
    }

    /** Installs PHP versions and/or changes the default one. */
    @Transactional
    public Job changePhp(Actor actor, String id, @Nullable List<String> versions, @Nullable String defaultVersion) {
        ServerRecord server = readyServer(actor, id);
        Validation validation = new Validation();
        LinkedHashSet<String> wanted = new LinkedHashSet<>(server.stack().phpVersions());
        for (String version : versions == null ? List.<String>of() : versions) {
            if (!StackOptions.OFFERED_PHP_VERSIONS.contains(version)) {
                validation.reject("phpVersions", "Offered PHP versions: " + String.join(", ", StackOptions.OFFERED_PHP_VERSIONS) + ".");
            } else {
                wanted.add(version);
            }
        }
        String newDefault = defaultVersion == null || defaultVersion.isBlank() ? server.stack().phpDefaultVersion() : defaultVersion.strip();
        if (!wanted.contains(newDefault)) {
            validation.reject("phpDefaultVersion", "The default must be one of the installed versions.");
        }
        validation.throwIfInvalid();
        List<String> sorted = wanted.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        Job job = enqueue(actor, server, ServerJobTypes.PHP, "PHP " + String.join(", ", sorted) + " on " + server.name(),
                Map.of("versions", sorted, "defaultVersion", newDefault));
        audit(actor, server, "server.php", Map.of("versions", sorted, "default", newDefault, "job", job.id()));
        return job;
    }

    /** The database root password, shown on request; every showing is audited. */
    @Transactional
    public @Nullable String revealDatabasePassword(Actor actor, String id) {
        ServerRecord server = manageable(actor, id);
        String password = secrets.databaseRootPassword(server);
        audit(actor, server, "server.database_password_shown", Map.of());
        return password;
    }

    ServerRecord visible(Actor actor, String id) {
        if (!Ids.looksLike("srv", id)) {
            throw new NotFound("Server", id);
        }
        return repository.find(actor.actingTenantPath(), id).orElseThrow(() -> new NotFound("Server", id));
    }

    ServerRecord manageable(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.SERVER_MANAGE);
        return visible(actor, id);
    }

    /** A server that is provisioned and not busy, so that a day-two action can run on it. */
    ServerRecord readyServer(Actor actor, String id) {
        ServerRecord server = manageable(actor, id);
        if (server.status() != ServerStatus.READY) {
            throw new InvalidInput("server", "The server is " + server.status().key() + "; this needs a ready server.");
        }
        return server;
    }

    /** Queues a job on a server the caller has already loaded (and so may see). */
    Job enqueue(Actor actor, ServerRecord server, String type, String title, Map<String, ?> params) {
        Job job = jobs.enqueue(new NewJob(server.tenantId(), type, title, "server", server.id(), params, actor));
        repository.setLastJob(server.id(), job.id());
        return job;
    }

    void audit(Actor actor, ServerRecord server, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(server.tenantId(), actor.userId(), actor.email(), action, "server", server.id(), details));
    }

    private static void requireIdle(ServerRecord server) {
        if (server.status().busy()) {
            throw new InvalidInput("server", "The server is " + server.status().key() + "; wait until that has finished.");
        }
    }

    private @Nullable ProviderAccount providerAccount(Validation validation, Actor actor, @Nullable String id) {
        try {
            return accounts.usable(actor, "provider", id);
        } catch (InvalidInput e) {
            validation.reject("provider", e.fieldErrors().getOrDefault("provider", "Choose a provider account."));
            return null;
        }
    }

    private static @Nullable OsImage osImage(Validation validation, @Nullable String value) {
        for (OsImage image : OsImage.values()) {
            if (image.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return image;
            }
        }
        validation.reject("image", "Choose Ubuntu 22.04, Ubuntu 24.04, Debian 12 or Debian 13.");
        return null;
    }

    private static StackOptions stack(Validation validation, NewServer form) {
        String webServer = form.webServer() == null || form.webServer().isBlank() ? "nginx" : form.webServer().strip();
        if (!webServer.equals("nginx")) {
            validation.reject("webServer", "nginx is the web server the panel manages.");
        }
        List<String> php = new ArrayList<>();
        for (String version : form.phpVersions() == null ? List.<String>of() : form.phpVersions()) {
            if (!StackOptions.OFFERED_PHP_VERSIONS.contains(version)) {
                validation.reject("phpVersions", "Offered PHP versions: " + String.join(", ", StackOptions.OFFERED_PHP_VERSIONS) + ".");
            } else if (!php.contains(version)) {
                php.add(version);
            }
        }
        php.sort(java.util.Comparator.reverseOrder());
        String phpDefault = form.phpDefaultVersion() == null ? "" : form.phpDefaultVersion().strip();
        if (php.isEmpty()) {
            phpDefault = "";
        } else if (phpDefault.isEmpty()) {
            phpDefault = php.getFirst();
        } else if (!php.contains(phpDefault)) {
            validation.reject("phpDefaultVersion", "The default PHP version must be one of those installed.");
        }
        DatabaseEngine database = DatabaseEngine.NONE;
        String db = form.database() == null ? "" : form.database().strip();
        if (!db.isEmpty()) {
            try {
                database = DatabaseEngine.valueOf(db.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                validation.reject("database", "Choose MariaDB, PostgreSQL or none.");
            }
        }
        return new StackOptions(webServer, php, phpDefault, database, form.nodejs(), form.redis());
    }

    private static List<SshKeyMaterial.PublicKey> peopleKeys(Validation validation, @Nullable String text) {
        List<SshKeyMaterial.PublicKey> keys = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return keys;
        }
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.size() > MAX_KEYS_AT_CREATE) {
            validation.reject("sshKeys", "At most " + MAX_KEYS_AT_CREATE + " keys here; add more later on the server's page.");
            return keys;
        }
        for (String line : lines) {
            try {
                SshKeyMaterial.PublicKey key = SshKeyMaterial.parsePublicKey("sshKeys", line);
                if (keys.stream().noneMatch(existing -> existing.fingerprint().equals(key.fingerprint()))) {
                    keys.add(key);
                }
            } catch (InvalidInput e) {
                validation.reject("sshKeys", "Line " + (lines.indexOf(line) + 1) + ": " + e.fieldErrors().get("sshKeys"));
            }
        }
        return keys;
    }

    static String keyName(SshKeyMaterial.PublicKey key) {
        String[] parts = key.line().split(" ", 3);
        String comment = parts.length == 3 ? parts[2].strip() : "";
        return comment.isEmpty() ? key.type() + " key" : comment.length() > 80 ? comment.substring(0, 80) : comment;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
