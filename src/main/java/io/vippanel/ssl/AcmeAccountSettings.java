package io.vippanel.ssl;

import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.ssl.internal.AcmeAccountRepository;
import io.vippanel.ssl.internal.acme.AcmeAccount;
import io.vippanel.ssl.internal.acme.AcmeAccounts;
import io.vippanel.ssl.internal.acme.AcmeDirectory;
import io.vippanel.ssl.internal.acme.AcmeFailure;
import io.vippanel.ssl.internal.acme.AcmeTrust;
import io.vippanel.ssl.internal.acme.TermsOfService;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The platform's ACME account: made at the CA the admin names, with a key the panel generates and keeps encrypted,
 * and only after the admin accepted the CA's terms of service, which the panel shows first.
 */
@Service
public class AcmeAccountSettings {

    public static final EncryptedColumn ACCOUNT_KEY = new EncryptedColumn("acme_accounts", "id", "account_key");

    private final AcmeAccountRepository repository;
    private final SecretBox secrets;
    private final VipProperties.Ssl settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public AcmeAccountSettings(AcmeAccountRepository repository, SecretBox secrets, VipProperties properties,
                               ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.secrets = secrets;
        this.settings = properties.ssl();
        this.events = events;
        this.clock = clock;
    }

    /** The CA new accounts are made at unless the admin names another. */
    public String defaultDirectory() {
        return settings.acmeDirectory();
    }

    @Transactional(readOnly = true)
    public List<AcmeAccountView> list(Actor actor) {
        AccessPolicy.require(actor, Permission.SSL_PLATFORM);
        return repository.list();
    }

    /**
     * The terms of service of the CA at {@code directoryUrl}, for the admin to read before accepting them.
     *
     * @return empty when the CA has none
     * @throws InvalidInput on {@code directoryUrl} when it is not an https address of an ACME directory that answers
     */
    public Optional<URI> termsOfService(Actor actor, @Nullable String directoryUrl) {
        AccessPolicy.require(actor, Permission.SSL_PLATFORM);
        return connect(directoryUrl(directoryUrl)).termsOfService();
    }

    /**
     * Makes (or finds again, with the stored key) the platform's account at the CA and stores it.
     *
     * @param contactEmail the address the CA writes to; blank keeps the account's current one
     * @param acceptTerms  the admin accepted the CA's terms of service, as shown by {@link #termsOfService}
     * @throws InvalidInput on {@code directoryUrl}, {@code contactEmail} or {@code acceptTerms}
     */
    @Transactional
    public AcmeAccountView register(Actor actor, @Nullable String directoryUrl, @Nullable String contactEmail, boolean acceptTerms) {
        AccessPolicy.require(actor, Permission.SSL_PLATFORM);
        Validation validation = new Validation();
        String email = contactEmail == null || contactEmail.isBlank() ? null : validation.email("contactEmail", contactEmail);
        validation.throwIfInvalid();
        URI url = directoryUrl(directoryUrl);
        AcmeDirectory directory = connect(url);
        Optional<URI> terms = directory.termsOfService();
        if (terms.isPresent() && !acceptTerms) {
            throw new InvalidInput("acceptTerms", "Read the CA's terms of service (" + terms.get() + ") and accept them; the "
                    + "panel makes no account at the CA before that.");
        }
        Optional<AcmeAccountRepository.Stored> stored = repository.findByDirectory(url.toString());
        String id = stored.map(row -> row.view().id()).orElseGet(() -> Ids.newId("acme"));
        String keyPem = stored.map(row -> secrets.decrypt(row.encryptedKey(), ACCOUNT_KEY.boundTo(id)))
                .orElseGet(AcmeAccounts::newAccountKeyPem);
        AcmeAccount account;
        try {
            account = AcmeAccounts.findOrCreate(directory, keyPem,
                    acceptTerms ? TermsOfService.ACCEPTED_BY_ADMIN : TermsOfService.NOT_ACCEPTED,
                    email == null ? List.of() : List.of(email));
        } catch (AcmeFailure e) {
            throw new InvalidInput(e.reason() == AcmeFailure.Reason.TERMS_NOT_ACCEPTED ? "acceptTerms" : "directoryUrl", e.userMessage());
        }
        String storedEmail = stored.map(row -> row.view().contactEmail()).orElse(null);
        if (email == null) {
            // Blank keeps the contact the CA has: ACME cannot remove an account's last contact.
            email = storedEmail;
        } else if (stored.isPresent() && !email.equals(storedEmail)) {
            try {
                AcmeAccounts.updateContacts(account, List.of(email));
            } catch (AcmeFailure e) {
                throw new InvalidInput("contactEmail", e.userMessage());
            }
        }
        Instant now = clock.instant();
        String termsUrl = terms.map(URI::toString).orElse(null);
        repository.save(id, url.toString(), secrets.encrypt(keyPem, ACCOUNT_KEY.boundTo(id)), account.location().toString(),
                email, termsUrl, termsUrl == null ? null : actor.email(), termsUrl == null ? null : now, now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("directory", url.toString());
        details.put("account", account.location().toString());
        details.put("termsAccepted", termsUrl == null ? "none offered" : termsUrl);
        events.publishEvent(AuditEvent.success(actor.actingTenantId(), actor.userId(), actor.email(),
                stored.isPresent() ? "acme_account.update" : "acme_account.create", "acme_account", id, details));
        return repository.findByDirectory(url.toString()).orElseThrow().view();
    }

    /**
     * The account certificates are ordered with, logged in at its CA: the one at the configured directory, else the
     * one the admin registered last. For jobs, in the system scope.
     *
     * @return empty when no admin has made the platform's account yet
     * @throws AcmeFailure when the CA cannot be reached or no longer knows the account
     */
    public Optional<AcmeAccount> platformAccount() {
        List<AcmeAccountView> accounts = repository.list();
        Optional<AcmeAccountView> chosen = accounts.stream().filter(view -> view.directoryUrl().equals(settings.acmeDirectory()))
                .findFirst().or(() -> accounts.stream().max(Comparator.comparing(AcmeAccountView::updatedAt)));
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        AcmeAccountRepository.Stored stored = repository.findByDirectory(chosen.get().directoryUrl()).orElseThrow();
        String keyPem = secrets.decrypt(stored.encryptedKey(), ACCOUNT_KEY.boundTo(stored.view().id()));
        AcmeDirectory directory = AcmeDirectory.connect(URI.create(stored.view().directoryUrl()), trust());
        return Optional.of(AcmeAccounts.find(directory, keyPem).orElseThrow(() -> AcmeFailure.of(AcmeFailure.Reason.UNAUTHORIZED,
                "the CA at " + stored.view().directoryUrl() + " no longer knows the platform's account; register it again on the ACME account page")));
    }

    private URI directoryUrl(@Nullable String value) {
        String text = value == null || value.isBlank() ? settings.acmeDirectory() : value.strip();
        try {
            URI uri = new URI(text);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidInput("directoryUrl", "Give the https address of the CA's ACME directory, e.g. " + settings.acmeDirectory() + ".");
    }

    private AcmeTrust trust() {
        return settings.acmeTrustRoots() == null || settings.acmeTrustRoots().isBlank() ? AcmeTrust.jdkDefault()
                : AcmeTrust.rootCertificates(Path.of(settings.acmeTrustRoots()));
    }

    private AcmeDirectory connect(URI url) {
        try {
            return AcmeDirectory.connect(url, trust());
        } catch (AcmeFailure e) {
            throw new InvalidInput("directoryUrl", e.userMessage());
        }
    }
}
