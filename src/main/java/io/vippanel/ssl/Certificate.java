package io.vippanel.ssl;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A site's certificate as people may see it (never its private key).
 *
 * @param names        the names asked for (the site's domain and aliases, a wildcard when chosen)
 * @param certNames    the names the deployed certificate covers
 * @param renewAfter   when the renewal sweep renews an ACME certificate (the CA's ARI window, or 30 days before expiry)
 * @param served       what port 443 served when last checked from outside; null: never checked
 * @param alert        a problem the tenant's admins were told about, until it is resolved
 * @param stepTimings  milliseconds per step of the last issuance: order, dns (DNS-01 propagation), challenge (answers
 *                     published, validated and removed, propagation excluded), finalize, download, deploy, check
 */
public record Certificate(String id, String tenantId, String siteId, String domain, CertificateSource source,
                          Challenge challenge, List<String> names, boolean hsts, CertificateStatus status,
                          @Nullable String statusNote, @Nullable String serial, @Nullable String fingerprint,
                          @Nullable String issuer, List<String> certNames, @Nullable Instant notBefore,
                          @Nullable Instant notAfter, boolean ocspStapling, @Nullable Instant deployedAt,
                          @Nullable Instant renewAfter, int renewalFailures, @Nullable Instant nextAttemptAt,
                          @Nullable Served served, @Nullable String alert, @Nullable Instant alertSince,
                          Map<String, Long> stepTimings, @Nullable String lastJobId, Instant createdAt, Instant updatedAt) {

    public Certificate {
        names = List.copyOf(names);
        certNames = List.copyOf(certNames);
        stepTimings = Map.copyOf(stepTimings);
    }

    /**
     * What a visitor got on port 443 with SNI for the site's domain.
     *
     * @param address   where the check connected
     * @param problem   why nothing could be seen, or why it is not the deployed certificate; null when all is well
     */
    public record Served(Instant checkedAt, @Nullable String address, @Nullable String serial, @Nullable String fingerprint,
                         @Nullable String issuer, List<String> names, @Nullable Instant notAfter, @Nullable Boolean trusted,
                         boolean matchesIssued, @Nullable String problem) {

        public Served {
            names = List.copyOf(names);
        }
    }

    /** A certificate is deployed on the site's server. */
    public boolean deployed() {
        return deployedAt != null;
    }
}
