package io.vippanel.ssl.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.platform.NotFound;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.Certificates;
import io.vippanel.ssl.CustomCertificate;
import io.vippanel.ssl.IssueRequest;
import io.vippanel.tenancy.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/certificates} and {@code /api/v1/sites/{id}/certificate}: sites' certificates. Issuing, renewing and
 * uploading answer at once (202) with the job that deploys the certificate; the job ends when port 443 serves it.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Certificates", description = "Sites' TLS certificates from the platform's ACME CA or uploaded.")
class CertificatesApi {

    @Schema(name = "Certificate", description = "A site's certificate; its private key is stored encrypted and never returned.")
    record CertificateJson(String id, String tenantId, String siteId, String domain,
                           @Schema(allowableValues = {"acme", "custom"}) String source,
                           @Schema(allowableValues = {"automatic", "http-01", "dns-01"}) String challenge, List<String> names,
                           boolean hsts, @Schema(allowableValues = {"pending", "issuing", "deploying", "valid", "failed"}) String status,
                           @Nullable String statusNote, @Nullable String serial, @Nullable String fingerprint,
                           @Nullable String issuer, List<String> certificateNames, @Nullable Instant notBefore,
                           @Nullable Instant notAfter, boolean ocspStapling, @Nullable Instant deployedAt,
                           @Nullable Instant renewAfter, int renewalFailures, @Nullable Instant nextAttemptAt,
                           @Schema(description = "What port 443 served when last checked from outside") Certificate.@Nullable Served served,
                           @Nullable String alert, @Nullable Instant alertSince,
                           @Schema(description = "Milliseconds per step of the last issuance") Map<String, Long> stepTimings,
                           @Nullable String lastJobId, Instant createdAt, Instant updatedAt) {
        static CertificateJson of(Certificate c) {
            return new CertificateJson(c.id(), c.tenantId(), c.siteId(), c.domain(), c.source().key(), c.challenge().key(), c.names(),
                    c.hsts(), c.status().key(), c.statusNote(), c.serial(), c.fingerprint(), c.issuer(), c.certNames(), c.notBefore(),
                    c.notAfter(), c.ocspStapling(), c.deployedAt(), c.renewAfter(), c.renewalFailures(), c.nextAttemptAt(), c.served(),
                    c.alert(), c.alertSince(), c.stepTimings(), c.lastJobId(), c.createdAt(), c.updatedAt());
        }
    }

    record CertificatePage(List<CertificateJson> items, long total, int limit, int offset) {
    }

    record QueuedJson(CertificateJson certificate, String jobId) {
        static QueuedJson of(Certificates.Queued queued) {
            return new QueuedJson(CertificateJson.of(queued.certificate()), queued.job().id());
        }
    }

    @Schema(name = "IssueCertificate", description = "challenge: automatic (default), http-01 or dns-01; wildcard adds *.<domain> "
            + "and needs DNS-01 through a zone managed in the panel; hsts sends Strict-Transport-Security.")
    record IssueJson(@Nullable String challenge, @Nullable Boolean wildcard, @Nullable Boolean hsts) {
    }

    @Schema(name = "CustomCertificate", description = "PEM texts: the certificate (a full chain is accepted), the intermediates, "
            + "and the unencrypted private key.")
    record UploadJson(@Nullable String certificate, @Nullable String chain, @Nullable String privateKey, @Nullable Boolean hsts) {
        @Override
        public String toString() {
            return "UploadJson[privateKey=(hidden)]";
        }
    }

    private final Certificates certificates;

    CertificatesApi(Certificates certificates) {
        this.certificates = certificates;
    }

    @GetMapping("/certificates")
    @Operation(summary = "List certificates", description = "Of every site the caller sees, by domain.")
    CertificatePage list(@AuthenticationPrincipal Actor actor, @RequestParam(defaultValue = "50") int limit,
                         @RequestParam(defaultValue = "0") int offset) {
        return new CertificatePage(certificates.list(actor, limit, offset).stream().map(CertificateJson::of).toList(),
                certificates.count(actor), limit, offset);
    }

    @GetMapping("/certificates/{id}")
    @Operation(summary = "Get a certificate")
    CertificateJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return CertificateJson.of(certificates.get(actor, id));
    }

    @PostMapping("/certificates/{id}/renew")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Renew an ACME certificate now", description = "Whatever its renewal time; custom certificates answer 422.")
    QueuedJson renew(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return QueuedJson.of(certificates.renew(actor, id));
    }

    @GetMapping("/sites/{id}/certificate")
    @Operation(summary = "Get a site's certificate", description = "404 while the site has none.")
    CertificateJson forSite(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return CertificateJson.of(certificates.forSite(actor, id).orElseThrow(() -> new NotFound("certificate of site", id)));
    }

    @PostMapping("/sites/{id}/certificate")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Issue a site's certificate", description = "Orders it from the platform's ACME CA for the site's domain "
            + "and aliases, deploys it and checks port 443 from outside.")
    QueuedJson issue(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody(required = false) @Nullable IssueJson request) {
        IssueJson body = request == null ? new IssueJson(null, null, null) : request;
        return QueuedJson.of(certificates.issue(actor, id, new IssueRequest(body.challenge(), body.wildcard(), body.hsts())));
    }

    @PutMapping("/sites/{id}/certificate")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Upload a custom certificate", description = "Checked first (key match, chain, names, dates): refusals "
            + "answer 422 per field.")
    QueuedJson upload(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody UploadJson request) {
        return QueuedJson.of(certificates.upload(actor, id, new CustomCertificate(request.certificate(), request.chain(),
                request.privateKey(), request.hsts())));
    }
}
