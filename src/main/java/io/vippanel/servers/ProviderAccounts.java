package io.vippanel.servers;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.servers.internal.ProviderAccountRepository;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviders;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cloud provider accounts: stored with their credentials encrypted (and never shown again), checked live,
 * shared downwards when the owner says so, and the way to each account's catalog of regions, sizes and images.
 */
@Service
public class ProviderAccounts {

    public static final EncryptedColumn CREDENTIALS_COLUMN = new EncryptedColumn("provider_accounts", "id", "credentials");
    /** How long a page waits for a catalog before it shows N/A; the fetch goes on and fills the cache. */
    public static final Duration CATALOG_WAIT = Duration.ofSeconds(8);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{16,512}");
    private static final Pattern AWS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{16}");
    private static final Pattern AWS_SECRET = Pattern.compile("[A-Za-z0-9/+=]{40}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");

    private final ProviderAccountRepository repository;
    private final CloudProviders providers;
    private final SecretBox secrets;
    private final SystemTransactions systemTransactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AsyncLoadingCache<String, ProviderCatalog> catalogs;
    private final TransactionTemplate readOnly;

    public ProviderAccounts(ProviderAccountRepository repository, CloudProviders providers, SecretBox secrets,
                            SystemTransactions systemTransactions, ApplicationEventPublisher events, Clock clock,
                            VipProperties properties, PlatformTransactionManager transactionManager) {
        this.repository = repository;
        this.providers = providers;
        this.secrets = secrets;
        this.systemTransactions = systemTransactions;
        this.events = events;
        this.clock = clock;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.catalogs = Caffeine.newBuilder()
                .expireAfterWrite(properties.providers().catalogTtl())
                .maximumSize(1_000)
                .buildAsync(this::fetchCatalog);
    }

    @Transactional(readOnly = true)
    public List<ProviderAccount> list(Actor actor) {
        AccessPolicy.require(actor, Permission.PROVIDER_VIEW);
        return repository.list(actor.actingTenantPath());
    }

    @Transactional(readOnly = true)
    public ProviderAccount get(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.PROVIDER_VIEW);
        return stored(actor, id).account();
    }

    @Transactional
    public ProviderAccount create(Actor actor, NewProviderAccount form) {
        AccessPolicy.require(actor, Permission.PROVIDER_MANAGE);
        Validation validation = new Validation();
        ProviderKind kind = cloudKind(validation, form.kind());
        String name = validation.requiredText("name", form.name(), 80);
        if (!validation.hasErrors() && repository.nameTaken(actor.actingTenantId(), name)) {
            validation.reject("name", "An account of this tenant already has this name.");
        }
        if (form.shared() && !AccessPolicy.allows(actor, Permission.PROVIDER_SHARE)) {
            validation.reject("shared", "Only the platform and resellers share accounts with their customers.");
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        String hint = "";
        String region = null;
        if (kind == ProviderKind.AWS) {
            String keyId = strip(form.accessKeyId());
            String secret = strip(form.secretAccessKey());
            region = strip(form.defaultRegion());
            if (!AWS_KEY_ID.matcher(keyId).matches()) {
                validation.reject("accessKeyId", "An AWS access key id is 20 characters starting with AKIA (or ASIA).");
            }
            if (!AWS_SECRET.matcher(secret).matches()) {
                validation.reject("secretAccessKey", "An AWS secret access key is 40 characters of letters, digits, / + and =.");
            }
            if (!AWS_REGION.matcher(region).matches()) {
                validation.reject("defaultRegion", "Give the AWS region to use by default, e.g. eu-central-1.");
            }
            credentials.put("accessKeyId", keyId);
            credentials.put("secretAccessKey", secret);
            hint = keyId.length() >= 4 ? "…" + keyId.substring(keyId.length() - 4) : "";
        } else if (kind != null) {
            String token = strip(form.token());
            if (!TOKEN.matcher(token).matches()) {
                validation.reject("token", "Paste the API token from the provider's console (16 to 512 visible characters, no spaces).");
            }
            credentials.put("token", token);
            hint = token.length() >= 4 ? "…" + token.substring(token.length() - 4) : "";
        }
        validation.throwIfInvalid();
        ProviderKind checkedKind = java.util.Objects.requireNonNull(kind);
        String verified = verify(checkedKind, credentials(checkedKind, credentials, region));
        String id = Ids.newId("pac");
        String encrypted = secrets.encrypt(JSON.writeValueAsString(credentials), CREDENTIALS_COLUMN.boundTo(id));
        repository.insert(id, actor.actingTenantId(), actor.actingTenantPath(), checkedKind, name, form.shared(), encrypted,
                hint, region, actor.userId(), clock.instant());
        repository.recordCheck(id, true, verified, clock.instant());
        audit(actor, id, "provider_account.create", Map.of("kind", checkedKind.name().toLowerCase(Locale.ROOT), "name", name,
                "shared", form.shared()));
        return get(actor, id);
    }

    /** Checks the stored credentials live and records the answer. */
    @Transactional
    public ProviderAccount testConnection(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.PROVIDER_MANAGE);
        ProviderAccountRepository.Stored stored = owned(actor, id);
        boolean ok;
        String note;
        try {
            note = connect(stored).verifyCredentials();
            ok = true;
        } catch (ProviderException e) {
            note = e.userMessage();
            ok = false;
        }
        repository.recordCheck(id, ok, note, clock.instant());
        audit(actor, id, "provider_account.test", Map.of("ok", ok));
        return get(actor, id);
    }

    @Transactional
    public void delete(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.PROVIDER_MANAGE);
        ProviderAccountRepository.Stored stored = owned(actor, id);
        int servers = repository.serversUsing(id);
        if (servers > 0) {
            throw new InvalidInput("account", servers + (servers == 1 ? " server was" : " servers were")
                    + " made through this account; delete them first.");
        }
        repository.delete(id);
        catalogs.synchronous().invalidate(id);
        audit(actor, id, "provider_account.delete", Map.of("name", stored.account().name()));
    }

    /**
     * The account's regions, sizes and images, from the cache when fresh; waits at most {@link #CATALOG_WAIT}.
     *
     * @throws ProviderException when the provider failed or did not answer in time (the page shows N/A)
     */
    public ProviderCatalog catalog(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.PROVIDER_VIEW);
        ProviderAccount account = java.util.Objects.requireNonNull(
                readOnly.execute(status -> stored(actor, id).account()));
        try {
            return catalogs.get(id).get(CATALOG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProviderException(account.kind(), ProviderException.Reason.UNAVAILABLE, 0, null,
                    "did not send its catalog within " + CATALOG_WAIT.toSeconds() + " s; try again in a moment", null, null);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ProviderException failure) {
                throw failure;
            }
            throw new ProviderException(account.kind(), ProviderException.Reason.UNAVAILABLE, 0, null,
                    "the catalog could not be read", null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(account.kind(), ProviderException.Reason.UNAVAILABLE, 0, null, "interrupted", null, e);
        }
    }

    /** The API client of an account, for background jobs (which run in the system scope). */
    public CloudProvider connectForSystem(String id) {
        ProviderAccountRepository.Stored stored = systemTransactions.call(
                () -> repository.find("/", id).orElseThrow(() -> new NotFound("Provider account", id)));
        return connect(stored);
    }

    /** Whether the actor's scope may create servers through the account (its own, or shared from above). */
    @Transactional(readOnly = true)
    public ProviderAccount usable(Actor actor, String field, @Nullable String id) {
        if (id == null || !Ids.looksLike("pac", id)) {
            throw new InvalidInput(field, "Choose one of the provider accounts.");
        }
        return repository.find(actor.actingTenantPath(), id).map(ProviderAccountRepository.Stored::account)
                .orElseThrow(() -> new InvalidInput(field, "Choose one of the provider accounts."));
    }

    private ProviderCatalog fetchCatalog(String id) {
        CloudProvider provider = connectForSystem(id);
        return new ProviderCatalog(id, provider.regions(), provider.sizes(), provider.images(), clock.instant());
    }

    private String verify(ProviderKind kind, ProviderCredentials credentials) {
        try {
            return providers.connect(kind, credentials).verifyCredentials();
        } catch (ProviderException e) {
            if (e.reason() == ProviderException.Reason.UNAUTHORIZED) {
                throw new InvalidInput(kind == ProviderKind.AWS ? "accessKeyId" : "token",
                        "The provider refused these credentials: " + e.userMessage());
            }
            throw e;
        }
    }

    private CloudProvider connect(ProviderAccountRepository.Stored stored) {
        String id = stored.account().id();
        JsonNode values = JSON.readTree(secrets.decrypt(stored.encryptedCredentials(), CREDENTIALS_COLUMN.boundTo(id)));
        Map<String, String> credentials = new LinkedHashMap<>();
        values.properties().forEach(entry -> credentials.put(entry.getKey(), entry.getValue().asString()));
        ProviderKind kind = stored.account().kind();
        return providers.connect(kind, credentials(kind, credentials, stored.account().defaultRegion()));
    }

    private static ProviderCredentials credentials(ProviderKind kind, Map<String, String> values, @Nullable String region) {
        return kind == ProviderKind.AWS
                ? new ProviderCredentials.AwsKeys(values.get("accessKeyId"), values.get("secretAccessKey"), region)
                : new ProviderCredentials.ApiToken(values.get("token"));
    }

    private ProviderAccountRepository.Stored stored(Actor actor, String id) {
        if (!Ids.looksLike("pac", id)) {
            throw new NotFound("Provider account", id);
        }
        return repository.find(actor.actingTenantPath(), id).orElseThrow(() -> new NotFound("Provider account", id));
    }

    /** Shared accounts are usable from below but changed only by their owner's scope. */
    private ProviderAccountRepository.Stored owned(Actor actor, String id) {
        ProviderAccountRepository.Stored stored = stored(actor, id);
        if (!stored.account().ownedByViewer()) {
            throw new NotFound("Provider account", id);
        }
        return stored;
    }

    private static @Nullable ProviderKind cloudKind(Validation validation, @Nullable String value) {
        for (ProviderKind kind : ProviderKind.values()) {
            if (kind.isCloud() && kind.name().equalsIgnoreCase(strip(value))) {
                return kind;
            }
        }
        validation.reject("kind", "Choose Hetzner, DigitalOcean, Vultr or AWS.");
        return null;
    }

    private static String strip(@Nullable String value) {
        return value == null ? "" : value.strip();
    }

    private void audit(Actor actor, String accountId, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(actor.actingTenantId(), actor.userId(), actor.email(), action,
                "provider_account", accountId, details));
    }
}
