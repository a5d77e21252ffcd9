package io.vippanel.ssl.internal.acme;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * A CA's ACME directory, read once on {@link #connect}. Holds the connection settings every request to that CA uses;
 * one instance can serve many accounts and orders, from several threads.
 */
public final class AcmeDirectory {

    private final URI url;
    private final Session session;

    private AcmeDirectory(URI url, Session session) {
        this.url = url;
        this.session = session;
    }

    /**
     * Reads the directory at this address (e.g. {@code https://acme-v02.api.letsencrypt.org/directory}).
     *
     * @throws AcmeFailure {@code UNREACHABLE} when the directory cannot be read
     */
    public static AcmeDirectory connect(URI url, AcmeTrust trust) {
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("ACME directory [%s] must be an https address".formatted(url));
        }
        Session session = new Session(url, new TrustingProvider(trust));
        try {
            session.getMetadata();
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "reading the directory " + url);
        } catch (AcmeProtocolException e) {
            throw AcmeFailure.of(AcmeFailure.Reason.UNREACHABLE, url + " is not an ACME directory: " + e.getMessage());
        }
        return new AcmeDirectory(url, session);
    }

    public URI url() {
        return url;
    }

    /** The CA's terms of service, which an administrator must accept before the platform's account is created. */
    public Optional<URI> termsOfService() {
        return metadata().getTermsOfService();
    }

    /** Whether the CA offers ACME Renewal Information (RFC 9773): suggested renewal windows and replacement orders. */
    public boolean offersRenewalInfo() {
        try {
            return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "reading the directory " + url);
        }
    }

    Session session() {
        return session;
    }

    private Metadata metadata() {
        try {
            return session.getMetadata();
        } catch (AcmeException e) {
            throw AcmeFailure.from(e, "reading the directory " + url);
        }
    }

    /** acme4j's provider for any https directory, with the HTTP client built on the given trust. */
    private static final class TrustingProvider extends GenericAcmeProvider {

        private final AcmeTrust trust;

        TrustingProvider(AcmeTrust trust) {
            this.trust = trust;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings networkSettings) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(networkSettings.getTimeout())
                    .proxy(networkSettings.getProxySelector());
            trust.sslContext().ifPresent(builder::sslContext);
            return builder.build();
        }
    }
}
