package io.vippanel.ssl.internal.cert;

/** A reason, fit to show to the person who pasted the input, why a certificate or key is refused. */
final class CertificateProblem extends RuntimeException {

    CertificateProblem(String message) {
        super(message, null, false, false);
    }
}
