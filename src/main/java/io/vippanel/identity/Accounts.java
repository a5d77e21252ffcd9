package io.vippanel.identity;

import io.vippanel.identity.internal.Hashes;
import io.vippanel.identity.internal.PasswordPolicy;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.TokenRepository;
import io.vippanel.identity.internal.Totp;
import io.vippanel.identity.internal.UserRepository;
import io.vippanel.identity.internal.UserRepository.Credentials;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.RateLimited;
import io.vippanel.platform.RateLimiter;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.Tenants;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Login with password and second factor, 2FA enrolment and removal, password changes.
 */
@Service
public class Accounts {

    /** One line per failed login, in the shape the shipped fail2ban filter matches. */
    private static final Logger authLog = LoggerFactory.getLogger("io.vippanel.identity.LoginAudit");
    static final EncryptedColumn TOTP_COLUMN = new EncryptedColumn("users", "id", "totp_secret");
    private static final String GENERIC_FAILURE = "Email or password is wrong, or the account is locked for a while.";

    private final UserRepository users;
    private final TokenRepository tokens;
    private final PasswordPolicy passwords;
    private final Totp totp;
    private final SecretBox secrets;
    private final Tenants tenants;
    private final RateLimiter rateLimiter;
    private final SystemTransactions system;
    private final ApplicationEventPublisher events;
    private final VipProperties.Security settings;
    private final Clock clock;

    Accounts(UserRepository users, TokenRepository tokens, PasswordPolicy passwords, Totp totp, SecretBox secrets, Tenants tenants,
             RateLimiter rateLimiter, SystemTransactions system, ApplicationEventPublisher events, VipProperties properties, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.totp = totp;
        this.secrets = secrets;
        this.tenants = tenants;
        this.rateLimiter = rateLimiter;
        this.system = system;
        this.events = events;
        this.settings = properties.security();
        this.clock = clock;
    }

    public LoginResult login(String rawEmail, String password, RequestOrigin origin) {
        String email = rawEmail.strip().toLowerCase(Locale.ROOT);
        limit("login-ip:" + origin.ip(), settings.rateLimit().loginPerIpPerMinute());
        limit("login-account:" + email, settings.rateLimit().loginPerAccountPerMinute());
        return system.call(() -> {
            Optional<Credentials> found = email.isEmpty() || email.length() > 254 ? Optional.empty() : users.credentialsByEmail(email);
            if (found.isEmpty()) {
                passwords.matchesNothing(password);
                return fail(null, email, origin, "unknown_user");
            }
            Credentials user = found.get();
            if (user.lockedUntil() != null && user.lockedUntil().isAfter(clock.instant())) {
                passwords.matchesNothing(password);
                return fail(user, email, origin, "locked");
            }
            if (user.passwordHash() == null || !passwords.matches(password, user.passwordHash())) {
                users.recordFailure(user.account().id(), settings.login().maxFailuresPerAccount(), settings.login().lockout());
                return fail(user, email, origin, "bad_credentials");
            }
            if (user.account().status() != UserAccount.Status.ACTIVE) {
                return fail(user, email, origin, "disabled");
            }
            Tenant tenant = tenants.findForSystem(user.account().tenantId()).orElseThrow();
            if (tenant.blocked()) {
                fail(user, email, origin, "tenant_suspended");
                return new LoginResult.Failed("Your organisation's account is suspended. Please contact your provider.");
            }
            if (user.totpSecret() != null) {
                return new LoginResult.NeedsCode(user.account().id());
            }
            return signIn(user, tenant, "password");
        });
    }

    /** Second step: a TOTP code or one of the recovery codes. */
    public LoginResult secondFactor(String userId, String code, RequestOrigin origin) {
        limit("login-2fa:" + userId, settings.rateLimit().loginPerAccountPerMinute());
        return system.call(() -> {
            Credentials user = users.credentialsById(userId).orElseThrow(() -> new InvalidInput("code", "Please sign in again."));
            Tenant tenant = tenants.findForSystem(user.account().tenantId()).orElseThrow();
            if (user.account().status() != UserAccount.Status.ACTIVE || tenant.blocked() || user.totpSecret() == null) {
                return fail(user, user.account().email(), origin, "disabled");
            }
            String secret = secrets.decrypt(user.totpSecret(), TOTP_COLUMN.boundTo(userId));
            OptionalLong step = totp.matchingStep(secret, code);
            if (step.isPresent() && users.claimTotpStep(userId, step.getAsLong())) {
                return signIn(user, tenant, "totp");
            }
            if (tokens.useRecoveryCode(userId, Hashes.sha256(normaliseRecoveryCode(code)))) {
                events.publishEvent(AuditEvent.success(tenant.id(), userId, user.account().email(), "auth.recovery_code_used", "user", userId,
                        Map.of("remaining", tokens.unusedRecoveryCodes(userId))));
                return signIn(user, tenant, "recovery_code");
            }
            users.recordFailure(userId, settings.login().maxFailuresPerAccount(), settings.login().lockout());
            fail(user, user.account().email(), origin, "bad_code");
            return new LoginResult.Failed("That code is not valid. Use the current code from your app or a recovery code.");
        });
    }

    /** The actor for a user who is still allowed in (active, tenant not suspended), for API tokens and sessions. */
    public Optional<Actor> activeActor(String userId) {
        return system.call(() -> users.credentialsById(userId)
                .filter(user -> user.account().status() == UserAccount.Status.ACTIVE)
                .filter(user -> !tenants.findForSystem(user.account().tenantId()).orElseThrow().blocked())
                .map(user -> actorOf(user.account())));
    }

    /** Whether the user's organisation demands 2FA that the user has not set up. */
    public boolean mustEnrol(Actor actor) {
        return system.call(() -> {
            UserAccount account = users.credentialsById(actor.userId()).orElseThrow().account();
            return !account.twoFactorEnabled() && tenants.findForSystem(account.tenantId()).orElseThrow().twoFactorRequired();
        });
    }

    /** Material to show during enrolment; the secret is kept by the caller (the session) until confirmed. */
    public record Enrolment(String secret, String uri, String qrSvg) {
    }

    public Enrolment beginEnrolment(Actor actor) {
        return enrolmentFor(actor, totp.newSecret());
    }

    /** The enrolment material of a secret already handed out (to show the same QR code again after a wrong code). */
    public Enrolment enrolmentFor(Actor actor, String secret) {
        String uri = totp.uri(secret, actor.email());
        return new Enrolment(secret, uri, totp.qrSvg(uri));
    }

    /** Turns 2FA on when the code matches the new secret; returns 10 fresh recovery codes to show once. */
    public List<String> confirmEnrolment(Actor actor, String secret, String code) {
        OptionalLong step = totp.matchingStep(secret, code);
        if (step.isEmpty()) {
            throw new InvalidInput("code", "That code does not match. Check the time on your phone and try the next code.");
        }
        return system.call(() -> {
            users.setTotp(actor.userId(), secrets.encrypt(secret, TOTP_COLUMN.boundTo(actor.userId())));
            users.claimTotpStep(actor.userId(), step.getAsLong());
            List<String> codes = newRecoveryCodes(actor);
            audit(actor, "auth.2fa_enabled", Map.of());
            return codes;
        });
    }

    public List<String> regenerateRecoveryCodes(Actor actor, String password) {
        return system.call(() -> {
            requirePassword(actor, password);
            List<String> codes = newRecoveryCodes(actor);
            audit(actor, "auth.recovery_codes_regenerated", Map.of());
            return codes;
        });
    }

    public int remainingRecoveryCodes(Actor actor) {
        return system.call(() -> tokens.unusedRecoveryCodes(actor.userId()));
    }

    public boolean twoFactorEnabled(Actor actor) {
        return system.call(() -> users.credentialsById(actor.userId()).orElseThrow().totpSecret() != null);
    }

    public void disableTwoFactor(Actor actor, String password, String code) {
        system.run(() -> {
            Credentials user = requirePassword(actor, password);
            if (user.totpSecret() == null) {
                throw new InvalidInput("code", "Two-factor authentication is not enabled.");
            }
            if (tenants.findForSystem(actor.tenantId()).orElseThrow().twoFactorRequired()) {
                throw new InvalidInput("code", "Your organisation requires two-factor authentication; it cannot be turned off.");
            }
            String secret = secrets.decrypt(user.totpSecret(), TOTP_COLUMN.boundTo(actor.userId()));
            if (totp.matchingStep(secret, code).isEmpty()) {
                throw new InvalidInput("code", "That code is not valid.");
            }
            users.setTotp(actor.userId(), null);
            tokens.replaceRecoveryCodes(actor.tenantId(), actor.userId(), List.of());
            audit(actor, "auth.2fa_disabled", Map.of());
        });
    }

    public void changePassword(Actor actor, String current, String replacement) {
        system.run(() -> {
            requirePassword(actor, current);
            passwords.problem(replacement, actor.email()).ifPresent(problem -> {
                throw new InvalidInput("newPassword", problem);
            });
            users.setPassword(actor.userId(), passwords.hash(replacement));
            audit(actor, "auth.password_changed", Map.of());
        });
    }

    private Credentials requirePassword(Actor actor, String password) {
        Credentials user = users.credentialsById(actor.userId()).orElseThrow();
        if (user.passwordHash() == null || !passwords.matches(password, user.passwordHash())) {
            throw new InvalidInput("password", "Your current password is not correct.");
        }
        return user;
    }

    private List<String> newRecoveryCodes(Actor actor) {
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String code = Ids.randomToken(5) + "-" + Ids.randomToken(5);
            codes.add(code);
            hashes.add(Hashes.sha256(code));
        }
        tokens.replaceRecoveryCodes(actor.tenantId(), actor.userId(), hashes);
        return codes;
    }

    private static String normaliseRecoveryCode(String code) {
        String compact = code.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "");
        return compact.length() == 10 ? compact.substring(0, 5) + "-" + compact.substring(5) : compact;
    }

    private LoginResult signIn(Credentials user, Tenant tenant, String method) {
        users.recordLogin(user.account().id());
        Actor actor = actorOf(user.account());
        events.publishEvent(AuditEvent.success(tenant.id(), actor.userId(), actor.email(), "auth.login", "user", actor.userId(),
                Map.of("method", method)));
        return new LoginResult.SignedIn(actor, user.totpSecret() == null && tenant.twoFactorRequired());
    }

    private LoginResult.Failed fail(Credentials user, String email, RequestOrigin origin, String reason) {
        authLog.warn("VIP-AUTH-FAIL ip={} user=\"{}\" reason={}", origin.ip(), email.replace("\"", "").replaceAll("\\p{Cntrl}", ""), reason);
        String tenantId = user == null ? tenants.platform().id() : user.account().tenantId();
        events.publishEvent(new AuditEvent(tenantId, user == null ? null : user.account().id(), email.length() > 254 ? email.substring(0, 254) : email,
                "auth.login", "user", user == null ? null : user.account().id(), AuditEvent.Outcome.FAILURE, Map.of("reason", reason)));
        return new LoginResult.Failed(GENERIC_FAILURE);
    }

    private void audit(Actor actor, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(actor.tenantId(), actor.userId(), actor.email(), action, "user", actor.userId(), details));
    }

    private void limit(String key, int perMinute) {
        rateLimiter.tryAcquire(key, perMinute).ifPresent(wait -> {
            throw new RateLimited(wait);
        });
    }

    static Actor actorOf(UserAccount account) {
        return Actor.of(account.id(), account.email(), account.displayName(), account.role(), account.tenantId(), account.tenantPath());
    }
}
