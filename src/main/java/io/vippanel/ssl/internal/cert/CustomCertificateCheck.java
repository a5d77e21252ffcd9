package io.vippanel.ssl.internal.cert;

import java.util.Map;

/** The outcome of checking an uploaded custom certificate: the normalised certificate, or what is wrong with each field. */
public sealed interface CustomCertificateCheck {

    /** The certificate, chain and key passed every check. */
    record Valid(ValidatedCertificate certificate) implements CustomCertificateCheck {
    }

    /**
     * Messages keyed by the fields {@link CustomCertificateValidator} names ({@code certificate}, {@code chain},
     * {@code privateKey}).
     */
    record Invalid(Map<String, String> fieldErrors) implements CustomCertificateCheck {

        public Invalid {
            fieldErrors = Map.copyOf(fieldErrors);
        }
    }
}
