package io.vippanel.dns;

import io.vippanel.dns.internal.DnsAccountRepository;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviders;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.SystemTransactions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DNS provider accounts: checked live before they are stored, stored with their credentials encrypted (never shown
 * again), shared downwards when the owner says so.
 */
@Service
public class DnsAccounts {

    public static final EncryptedColumn CREDENTIALS_COLUMN = new EncryptedColumn("dns_accounts", "id", "credentials");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{8,512}");
    private static final Pattern CLOUDFLARE_TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,200}");
    private static final Pattern CLOUDFLARE_ACCOUNT = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern AWS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{16}");
    private static final Pattern AWS_SECRET = Pattern.compile("[A-Za-z0-9/+=]{40}");
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CHECK_SERVER = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");
    private static final int MAX_NAMESERVERS = 10;

    private final DnsAccountRepository repository;
    private final DnsProviders providers;
    private final SecretBox secrets;
    private final SystemTransactions systemTransactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public DnsAccounts(DnsAccountRepository repository, DnsProviders providers, SecretBox secrets,
                       SystemTransactions systemTransactions, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.providers = providers;
        this.secrets = secrets;
        this.systemTransactions = systemTransactions;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<DnsAccount> list(Actor actor) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        return repository.list(actor.actingTenantPath());
    }

    @Transactional(readOnly = true)
    public DnsAccount get(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        return stored(actor, id).account();
    }

    @Transactional
    public DnsAccount create(Actor actor, NewDnsAccount form) {
        AccessPolicy.require(actor, Permission.DNS_MANAGE);
        Validation validation = new Validation();
        DnsProviderKind kind = kind(validation, form.kind());
        String name = validation.requiredText("name", form.name(), 80);
        if (!validation.hasErrors() && repository.nameTaken(actor.actingTenantId(), name)) {
            validation.reject("name", "A DNS account of this tenant already has this name.");
        }
        if (form.shared() && !AccessPolicy.allows(actor, Permission.PROVIDER_SHARE)) {
            validation.reject("shared", "Only the platform and resellers share accounts with their customers.");
        }
        if (kind == DnsProviderKind.POWERDNS && !AccessPolicy.allows(actor, Permission.DNS_HOST)) {
            validation.reject("kind", "PowerDNS servers are connected by the platform or your reseller; use Cloudflare or "
                    + "Route 53, or a PowerDNS account shared with you.");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> checkServers = List.of();
        String hint = "";
        if (kind == DnsProviderKind.POWERDNS) {
            values.put("apiUrl", apiUrl(validation, form.apiUrl()));
            String key = secret(validation, "apiKey", form.apiKey(), "Give the api-key of the PowerDNS configuration (8 to 512 visible characters).");
            values.put("apiKey", key);
            String serverId = strip(form.serverId()).isEmpty() ? "localhost" : strip(form.serverId());
            if (!SERVER_ID.matcher(serverId).matches()) {
                validation.reject("serverId", "The server id is a name like localhost (letters, digits, . _ -).");
            }
            values.put("serverId", serverId);
            values.put("nameservers", nameservers(validation, form.nameservers()));
            checkServers = checkServers(validation, form.checkServers());
            hint = hint(key);
        } else if (kind == DnsProviderKind.CLOUDFLARE) {
            String token = strip(form.apiToken());
            if (!CLOUDFLARE_TOKEN.matcher(token).matches()) {
                validation.reject("apiToken", "Paste an API token from the Cloudflare dashboard (My Profile › API Tokens) with "
                        + "Zone:Read and DNS:Edit.");
            }
            String account = strip(form.accountId()).toLowerCase(Locale.ROOT);
            if (!account.isEmpty() && !CLOUDFLARE_ACCOUNT.matcher(account).matches()) {
                validation.reject("accountId", "A Cloudflare account id is 32 hexadecimal characters (leave it empty to use the "
                        + "token's only account).");
            }
            values.put("apiToken", token);
            values.put("accountId", account);
            hint = hint(token);
        } else if (kind == DnsProviderKind.ROUTE53) {
            String keyId = strip(form.accessKeyId());
            String secret = strip(form.secretAccessKey());
            if (!AWS_KEY_ID.matcher(keyId).matches()) {
                validation.reject("accessKeyId", "An AWS access key id is 20 characters starting with AKIA (or ASIA).");
            }
            if (!AWS_SECRET.matcher(secret).matches()) {
                validation.reject("secretAccessKey", "An AWS secret access key is 40 characters of letters, digits, / + and =.");
            }
            values.put("accessKeyId", keyId);
            values.put("secretAccessKey", secret);
            hint = hint(keyId);
        }
        validation.throwIfInvalid();
        DnsProviderKind checkedKind = java.util.Objects.requireNonNull(kind);
        String verified = verify(checkedKind, credentials(checkedKind, JSON.valueToTree(values)));
        String id = Ids.newId("dnsa");
        String encrypted = secrets.encrypt(JSON.writeValueAsString(values), CREDENTIALS_COLUMN.boundTo(id));
        repository.insert(id, actor.actingTenantId(), actor.actingTenantPath(), checkedKind, name, form.shared(), encrypted,
                hint, checkServers, actor.userId(), clock.instant());
        repository.recordCheck(id, true, verified, clock.instant());
        audit(actor, id, "dns_account.create", Map.of("kind", checkedKind.name().toLowerCase(Locale.ROOT), "name", name,
                "shared", form.shared()));
        return get(actor, id);
    }

    /** Checks the stored credentials live and records the answer. */
    @Transactional
    public DnsAccount testConnection(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.DNS_MANAGE);
        DnsAccountRepository.Stored stored = owned(actor, id);
        boolean ok;
        String note;
        try {
            note = connect(stored).verifyCredentials();
            ok = true;
        } catch (DnsProviderException e) {
            note = e.userMessage();
            ok = false;
        }
        repository.recordCheck(id, ok, note, clock.instant());
        audit(actor, id, "dns_account.test", Map.of("ok", ok));
        return get(actor, id);
    }

    @Transactional
    public void delete(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.DNS_MANAGE);
        DnsAccountRepository.Stored stored = owned(actor, id);
        int zones = repository.zonesUsing(id);
        if (zones > 0) {
            throw new InvalidInput("account", zones + (zones == 1 ? " zone is" : " zones are")
                    + " hosted through this account; delete them first.");
        }
        repository.delete(id);
        audit(actor, id, "dns_account.delete", Map.of("name", stored.account().name()));
    }

    /** An account the actor's scope may create zones with (its own, or shared from above). */
    @Transactional(readOnly = true)
    public DnsAccount usable(Actor actor, String field, @Nullable String id) {
        if (id == null || !Ids.looksLike("dnsa", id)) {
            throw new InvalidInput(field, "Choose one of the DNS accounts.");
        }
        return repository.find(actor.actingTenantPath(), id).map(DnsAccountRepository.Stored::account)
                .orElseThrow(() -> new InvalidInput(field, "Choose one of the DNS accounts."));
    }

    /** The API client of an account, for background jobs (which run in the system scope). */
    public DnsProvider connectForSystem(String id) {
        return connect(storedForSystem(id));
    }

    /** The account as the system scope sees it, for background jobs. */
    public DnsAccount accountForSystem(String id) {
        return storedForSystem(id).account();
    }

    private DnsAccountRepository.Stored storedForSystem(String id) {
        return systemTransactions.call(() -> repository.find("/", id).orElseThrow(() -> new NotFound("DNS account", id)));
    }

    private String verify(DnsProviderKind kind, DnsCredentials credentials) {
        try {
            return providers.connect(kind, credentials).verifyCredentials();
        } catch (DnsProviderException e) {
            String field = switch (kind) {
                case POWERDNS -> e.reason() == DnsProviderException.Reason.CREDENTIALS ? "apiKey" : "apiUrl";
                case CLOUDFLARE -> "apiToken";
                case ROUTE53 -> "accessKeyId";
            };
            throw new InvalidInput(field, e.userMessage());
        }
    }

    private DnsProvider connect(DnsAccountRepository.Stored stored) {
        String id = stored.account().id();
        JsonNode values = JSON.readTree(secrets.decrypt(stored.encryptedCredentials(), CREDENTIALS_COLUMN.boundTo(id)));
        return providers.connect(stored.account().kind(), credentials(stored.account().kind(), values));
    }

    private static DnsCredentials credentials(DnsProviderKind kind, JsonNode values) {
        return switch (kind) {
            case POWERDNS -> {
                List<String> nameservers = new ArrayList<>();
                values.path("nameservers").forEach(node -> nameservers.add(node.asString()));
                yield new DnsCredentials.PowerDns(values.path("apiUrl").asString(), values.path("apiKey").asString(),
                        values.path("serverId").asString(), nameservers);
            }
            case CLOUDFLARE -> {
                String account = values.path("accountId").asString("");
                yield new DnsCredentials.Cloudflare(values.path("apiToken").asString(), account.isEmpty() ? null : account);
            }
            case ROUTE53 -> new DnsCredentials.Route53(values.path("accessKeyId").asString(),
                    values.path("secretAccessKey").asString());
        };
    }

    private DnsAccountRepository.Stored stored(Actor actor, String id) {
        if (!Ids.looksLike("dnsa", id)) {
            throw new NotFound("DNS account", id);
        }
        return repository.find(actor.actingTenantPath(), id).orElseThrow(() -> new NotFound("DNS account", id));
    }

    /** Shared accounts are usable from below but tested and deleted only by their owner's scope. */
    private DnsAccountRepository.Stored owned(Actor actor, String id) {
        DnsAccountRepository.Stored stored = stored(actor, id);
        if (!stored.account().ownedByViewer()) {
            throw new NotFound("DNS account", id);
        }
        return stored;
    }

    private static @Nullable DnsProviderKind kind(Validation validation, @Nullable String value) {
        for (DnsProviderKind kind : DnsProviderKind.values()) {
            if (kind.name().equalsIgnoreCase(strip(value))) {
                return kind;
            }
        }
        validation.reject("kind", "Choose PowerDNS, Cloudflare or Route53.");
        return null;
    }

    private static String apiUrl(Validation validation, @Nullable String value) {
        String text = strip(value);
        try {
            URI uri = new URI(text);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (web && uri.getHost() != null && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath()))) {
                return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        validation.reject("apiUrl", "Give the address of the PowerDNS API, e.g. http://10.0.0.5:8081 (scheme, host and port only).");
        return text;
    }

    private static String secret(Validation validation, String field, @Nullable String value, String message) {
        String text = strip(value);
        if (!SECRET.matcher(text).matches()) {
            validation.reject(field, message);
        }
        return text;
    }

    private static List<String> nameservers(Validation validation, @Nullable String value) {
        List<String> names = new ArrayList<>();
        for (String part : strip(value).split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String name = part.endsWith(".") ? part.substring(0, part.length() - 1) : part;
            String ascii = Validation.hostNameOrNull(name);
            if (ascii == null) {
                validation.reject("nameservers", "[" + (part.length() > 60 ? part.substring(0, 60) + "…" : part)
                        + "] is not a host name; list the names of the PowerDNS servers, e.g. ns1.example.net.");
                return names;
            }
            if (!names.contains(ascii)) {
                names.add(ascii);
            }
        }
        if (names.isEmpty() || names.size() > MAX_NAMESERVERS) {
            validation.reject("nameservers", "List the names of the PowerDNS servers (1 to " + MAX_NAMESERVERS
                    + "), e.g. ns1.example.net and ns2.example.net; new zones are delegated to them.");
        }
        return names;
    }

    private static List<String> checkServers(Validation validation, @Nullable String value) {
        List<String> servers = new ArrayList<>();
        for (String part : strip(value).split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!CHECK_SERVER.matcher(part).matches() || servers.size() >= MAX_NAMESERVERS) {
                validation.reject("checkServers", "List up to " + MAX_NAMESERVERS + " addresses the panel asks, as host or "
                        + "host:port (e.g. 10.0.0.5:53, [2001:db8::5]:53).");
                return servers;
            }
            servers.add(part);
        }
        return servers;
    }

    private static String hint(String secret) {
        return secret.length() >= 4 ? "…" + secret.substring(secret.length() - 4) : "";
    }

    private static String strip(@Nullable String value) {
        return value == null ? "" : value.strip();
    }

    private void audit(Actor actor, String accountId, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(actor.actingTenantId(), actor.userId(), actor.email(), action,
                "dns_account", accountId, details));
    }
}
