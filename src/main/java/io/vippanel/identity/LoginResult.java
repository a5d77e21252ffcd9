package io.vippanel.identity;

import io.vippanel.tenancy.Actor;

/** The outcome of one login step. */
public sealed interface LoginResult {

    /** Refused; the message never says whether the account exists. */
    record Failed(String message) implements LoginResult {
    }

    /** Password accepted; a TOTP or recovery code is needed next. */
    record NeedsCode(String userId) implements LoginResult {
    }

    /** Signed in; {@code mustEnrol} when the organisation demands 2FA that the user has not set up yet. */
    record SignedIn(Actor actor, boolean mustEnrol) implements LoginResult {
    }
}
