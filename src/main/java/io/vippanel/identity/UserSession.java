package io.vippanel.identity;

import java.time.Instant;

/** A signed-in browser session of a user, as listed on the profile page. */
public record UserSession(String id, String sessionHash, String ip, String userAgent, Instant createdAt, Instant lastSeenAt,
                          boolean current) {

    public UserSession markCurrent(String currentHash) {
        return new UserSession(id, sessionHash, ip, userAgent, createdAt, lastSeenAt, sessionHash.equals(currentHash));
    }
}
