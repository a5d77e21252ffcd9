package io.vippanel.ssl.internal.acme;

import java.time.Duration;

/** Hears the steps of an issuance as they start and finish, on the issuing thread. */
public interface IssuanceListener {

    /** Hears nothing. */
    IssuanceListener NONE = new IssuanceListener() {
    };

    /** @param detail a short line for the job log, e.g. "2 challenges: HTTP-01 example.com, DNS-01 *.example.com" */
    default void started(IssuanceStep step, String detail) {
    }

    /** The step succeeded after {@code took}; a failed step ends the issuance with an {@link AcmeFailure} instead. */
    default void finished(IssuanceStep step, Duration took) {
    }
}
