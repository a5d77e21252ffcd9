package io.vippanel.identity;

import io.vippanel.identity.internal.Hashes;
import io.vippanel.identity.internal.PasswordPolicy;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.TokenRepository;
import io.vippanel.identity.internal.UserRepository;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Mailer;
import io.vippanel.platform.RateLimited;
import io.vippanel.platform.RateLimiter;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.platform.Validation;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Role;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Single-use links: the first-run setup of the first superadmin, accepting an invitation, resetting a password.
 */
@Service
public class Onboarding {

    private static final Logger log = LoggerFactory.getLogger(Onboarding.class);
    static final Duration SETUP_VALIDITY = Duration.ofHours(1);
    static final Duration RESET_VALIDITY = Duration.ofHours(1);

    private final UserRepository users;
    private final TokenRepository tokens;
    private final PasswordPolicy passwords;
    private final Tenants tenants;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final SystemTransactions system;
    private final ApplicationEventPublisher events;
    private final VipProperties properties;
    private final Clock clock;

    Onboarding(UserRepository users, TokenRepository tokens, PasswordPolicy passwords, Tenants tenants, Mailer mailer,
               RateLimiter rateLimiter, SystemTransactions system, ApplicationEventPublisher events, VipProperties properties, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.tenants = tenants;
        this.mailer = mailer;
        this.rateLimiter = rateLimiter;
        this.system = system;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    public boolean superadminExists() {
        return system.call(() -> users.anyWithRole(Role.SUPERADMIN));
    }

    /** Issues a new setup link (older ones stop working) while no superadmin exists; empty otherwise. */
    public Optional<String> issueSetupLink() {
        return system.call(() -> {
            Tenant platform = tenants.platform();
            if (superadminExists()) {
                return Optional.empty();
            }
            tokens.expireLinks("setup", null);
            String token = Ids.randomToken(40);
            tokens.insertLink(Ids.newId("ott"), platform.id(), null, "setup", Hashes.sha256(token), clock.instant().plus(SETUP_VALIDITY));
            return Optional.of(properties.baseUrl() + "/setup/" + token);
        });
    }

    public boolean setupLinkValid(String token) {
        return system.call(() -> tokens.validLink(Hashes.sha256(token), "setup").isPresent());
    }

    /**
     * Creates the first superadmin from a setup link and makes 2FA mandatory on the platform tenant (and so,
     * by inheritance, for every tenant until a superadmin relaxes it); the next step is the superadmin's enrolment.
     */
    public Actor completeSetup(String token, String rawEmail, String rawName, String password) {
        return system.call(() -> {
            TokenRepository.LinkToken link = tokens.validLink(Hashes.sha256(token), "setup")
                    .orElseThrow(() -> new InvalidInput("token", "This setup link is not valid any more. Restart the panel for a new one."));
            Validation validation = new Validation();
            String email = validation.email("email", rawEmail);
            String name = validation.requiredText("displayName", rawName, 120);
            passwords.problem(password, email).ifPresent(problem -> validation.reject("password", problem));
            validation.throwIfInvalid();
            if (!tokens.useLink(link.id())) {
                throw new InvalidInput("token", "This setup link was already used.");
            }
            Tenant platform = tenants.platform();
            String id = Ids.newId("usr");
            users.insert(id, platform.id(), email, name, Role.SUPERADMIN, UserAccount.Status.ACTIVE, passwords.hash(password));
            tenants.setRequire2fa(Actor.of(id, email, name, Role.SUPERADMIN, platform.id(), platform.path()), platform.id(), true);
            events.publishEvent(AuditEvent.success(platform.id(), id, email, "user.create_first_superadmin", "user", id, Map.of("email", email)));
            return Actor.of(id, email, name, Role.SUPERADMIN, platform.id(), platform.path());
        });
    }

    /** The invited user's email for the accept page, if the link is still valid. */
    public Optional<String> invitedEmail(String token) {
        return system.call(() -> tokens.validLink(Hashes.sha256(token), "invite")
                .flatMap(link -> users.credentialsById(link.userId()))
                .map(user -> user.account().email()));
    }

    public void acceptInvitation(String token, String password) {
        completeLink(token, "invite", password, "user.accept_invite", "This invitation link is not valid any more. Ask for a new invitation.");
    }

    /** Sends a reset link when the address belongs to an active user; says nothing either way. */
    public void requestPasswordReset(String rawEmail, RequestOrigin origin) {
        rateLimiter.tryAcquire("reset-ip:" + origin.ip(), 5).ifPresent(wait -> {
            throw new RateLimited(wait);
        });
        String email = rawEmail.strip().toLowerCase(java.util.Locale.ROOT);
        system.run(() -> users.credentialsByEmail(email)
                .filter(user -> user.account().status() == UserAccount.Status.ACTIVE)
                .ifPresent(user -> {
                    tokens.expireLinks("reset", user.account().id());
                    String token = Ids.randomToken(40);
                    tokens.insertLink(Ids.newId("ott"), user.account().tenantId(), user.account().id(), "reset",
                            Hashes.sha256(token), clock.instant().plus(RESET_VALIDITY));
                    events.publishEvent(AuditEvent.success(user.account().tenantId(), null, email, "auth.password_reset_requested", "user",
                            user.account().id(), Map.of("mailed", mailer.configured())));
                    if (!mailer.send(email, "Reset your VIP Hosting Panel password",
                            "Someone asked to reset your password. If it was you, open this link within an hour:\n"
                                    + properties.baseUrl() + "/reset/" + token + "\n\nIf not, ignore this message.\n")) {
                        log.warn("password reset for {} could not be mailed (SMTP not configured or refused)", email);
                    }
                }));
    }

    public boolean resetLinkValid(String token) {
        return system.call(() -> tokens.validLink(Hashes.sha256(token), "reset").isPresent());
    }

    public void resetPassword(String token, String password) {
        completeLink(token, "reset", password, "auth.password_reset", "This reset link is not valid any more. Ask for a new one.");
    }

    private void completeLink(String token, String purpose, String password, String action, String invalidMessage) {
        system.run(() -> {
            TokenRepository.LinkToken link = tokens.validLink(Hashes.sha256(token), purpose)
                    .orElseThrow(() -> new InvalidInput("token", invalidMessage));
            UserRepository.Credentials user = users.credentialsById(requireUser(link.userId())).orElseThrow();
            passwords.problem(password, user.account().email()).ifPresent(problem -> {
                throw new InvalidInput("password", problem);
            });
            if (!tokens.useLink(link.id())) {
                throw new InvalidInput("token", invalidMessage);
            }
            users.setPassword(user.account().id(), passwords.hash(password));
            tokens.revokeAllSessions(user.account().id());
            events.publishEvent(AuditEvent.success(user.account().tenantId(), user.account().id(), user.account().email(), action, "user",
                    user.account().id(), Map.of()));
        });
    }

    private static String requireUser(@Nullable String userId) {
        if (userId == null) {
            throw new IllegalStateException("link without a user");
        }
        return userId;
    }
}
