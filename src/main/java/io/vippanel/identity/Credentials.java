package io.vippanel.identity;

import io.vippanel.identity.internal.Hashes;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.TokenRepository;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.tenancy.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Personal API tokens and browser sessions of the signed-in user. */
@Service
public class Credentials {

    static final String TOKEN_PREFIX = "vip_";
    /** Far enough for "never" in practice, and well inside what the database (and java.sql.Timestamp) can store. */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private final TokenRepository tokens;
    private final SystemTransactions system;
    private final Accounts accounts;
    private final ApplicationEventPublisher events;

    Credentials(TokenRepository tokens, SystemTransactions system, Accounts accounts, ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.system = system;
        this.accounts = accounts;
        this.events = events;
    }

    /** Creates a token and returns its secret, which is never shown again. */
    public String createToken(Actor actor, String name, @Nullable Instant expiresAt) {
        if (expiresAt != null && expiresAt.isBefore(Instant.now())) {
            throw new InvalidInput("expiresAt", "The expiry date must be in the future.");
        }
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw new InvalidInput("expiresAt", "The expiry date must be before the year 10000.");
        }
        String secret = TOKEN_PREFIX + Ids.randomToken(40);
        String id = Ids.newId("tok");
        system.run(() -> {
            tokens.insertApiToken(id, actor.tenantId(), actor.userId(), name, Hashes.sha256(secret), expiresAt);
            audit(actor, "token.create", id, Map.of("name", name, "expiresAt", String.valueOf(expiresAt)));
        });
        return secret;
    }

    public List<ApiToken> tokens(Actor actor) {
        return system.call(() -> tokens.apiTokensOf(actor.userId()));
    }

    public void revokeToken(Actor actor, String id) {
        system.run(() -> {
            if (tokens.revokeApiToken(id, actor.userId()) == 0) {
                throw new io.vippanel.platform.NotFound("token", id);
            }
            audit(actor, "token.revoke", id, Map.of());
        });
    }

    /** The actor behind a bearer token, if the token is live and its user and tenant are allowed in. */
    public Optional<Actor> authenticateToken(String secret) {
        if (!secret.startsWith(TOKEN_PREFIX) || secret.length() != TOKEN_PREFIX.length() + 40) {
            return Optional.empty();
        }
        return system.call(() -> tokens.userOfLiveToken(Hashes.sha256(secret))).flatMap(accounts::activeActor);
    }

    // --- sessions

    public void sessionStarted(Actor actor, String sessionId, RequestOrigin origin) {
        system.run(() -> tokens.insertSession(Ids.newId("ses"), actor.tenantId(), actor.userId(), Hashes.sha256(sessionId),
                origin.ip(), origin.userAgent()));
    }

    /** Why a session may no longer be used, or empty when it may; records that it was seen. */
    public Optional<String> sessionProblem(String sessionId, RequestOrigin origin, java.time.Duration absoluteTimeout) {
        String hash = Hashes.sha256(sessionId);
        return system.call(() -> {
            Optional<TokenRepository.SessionState> state = tokens.sessionState(hash);
            if (state.isEmpty() || state.get().revoked()) {
                return Optional.of("Your session was ended. Please sign in again.");
            }
            if (!state.get().userActive() || state.get().tenantBlocked()) {
                tokens.revokeSessionByHash(hash);
                return Optional.of("Your account or organisation is no longer active.");
            }
            if (state.get().createdAt().plus(absoluteTimeout).isBefore(Instant.now())) {
                tokens.revokeSessionByHash(hash);
                return Optional.of("Your session has expired. Please sign in again.");
            }
            tokens.touchSession(hash, origin.ip());
            return Optional.empty();
        });
    }

    public void sessionEnded(String sessionId) {
        system.run(() -> tokens.revokeSessionByHash(Hashes.sha256(sessionId)));
    }

    public List<UserSession> sessions(Actor actor, String currentSessionId) {
        String current = Hashes.sha256(currentSessionId);
        return system.call(() -> tokens.sessionsOf(actor.userId()).stream().map(s -> s.markCurrent(current)).toList());
    }

    public void revokeSession(Actor actor, String id) {
        system.run(() -> {
            if (tokens.revokeSession(id, actor.userId()) == 0) {
                throw new io.vippanel.platform.NotFound("session", id);
            }
            audit(actor, "session.revoke", id, Map.of());
        });
    }

    public int revokeOtherSessions(Actor actor, String currentSessionId) {
        return system.call(() -> {
            int count = tokens.revokeOtherSessions(actor.userId(), Hashes.sha256(currentSessionId));
            audit(actor, "session.revoke_others", actor.userId(), Map.of("count", count));
            return count;
        });
    }

    private void audit(Actor actor, String action, String targetId, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(actor.tenantId(), actor.userId(), actor.email(), action,
                action.startsWith("token") ? "token" : "session", targetId, details));
    }
}
