package io.vippanel.ssl;

import io.vippanel.platform.VipProperties;
import io.vippanel.ssl.internal.CertificateWork;
import io.vippanel.ssl.internal.acme.AcmeAccount;
import io.vippanel.ssl.internal.acme.AcmeChallenge;
import io.vippanel.ssl.internal.acme.AcmeFailure;
import io.vippanel.ssl.internal.acme.AcmeIssuer;
import io.vippanel.ssl.internal.acme.CertificateKeyType;
import io.vippanel.ssl.internal.acme.CertificateRequest;
import io.vippanel.ssl.internal.acme.ChallengeChoice;
import io.vippanel.ssl.internal.acme.ChallengeResponder;
import io.vippanel.ssl.internal.acme.IssuanceListener;
import io.vippanel.ssl.internal.acme.IssuedCertificate;
import io.vippanel.ssl.internal.cert.CertificateSummary;
import io.vippanel.ssl.internal.cert.DeployedChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * The panel's own hostname ({@code vip.ssl.panel-hostname}) gets its certificate from the platform's ACME account the
 * way sites do: HTTP-01 answered from the webroot the panel's nginx serves at {@code /.well-known/acme-challenge/}
 * (deploy/nginx/vip-panel.conf), the certificate and key written to {@code vip.ssl.panel-certificate-dir} where that
 * nginx reads them, then nginx reloaded. Renewed by the worker on the panel's host with the sites' rule.
 */
@Service
public class PanelCertificate {

    private final AcmeAccountSettings accounts;
    private final AcmeIssuer issuer;
    private final CertificateWork work;
    private final VipProperties.Ssl settings;
    private final Clock clock;

    public PanelCertificate(AcmeAccountSettings accounts, AcmeIssuer issuer, CertificateWork work, VipProperties properties,
                            Clock clock) {
        this.accounts = accounts;
        this.issuer = issuer;
        this.work = work;
        this.settings = properties.ssl();
        this.clock = clock;
    }

    /** What {@link #renew} did: the certificate now in place, and whether it is new. */
    public record Outcome(boolean issued, String serial, Instant notAfter, Instant renewAfter) {
    }

    /** The hostname, when the panel manages its own certificate. */
    public Optional<String> hostname() {
        String hostname = settings.panelHostname();
        return hostname == null || hostname.isBlank() ? Optional.empty() : Optional.of(hostname.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Orders a new certificate when the one in place is missing, does not name the hostname, or is due (or always,
     * with {@code force}), writes it where nginx reads it and reloads nginx.
     *
     * @param progress hears one line per step
     * @throws IllegalStateException when no hostname is configured, the platform has no ACME account, or a step fails
     */
    public Outcome renew(boolean force, Consumer<String> progress) {
        String hostname = hostname().orElseThrow(() -> new IllegalStateException(
                "set vip.ssl.panel-hostname (VIP_SSL_PANEL_HOSTNAME) to the name the panel is reached at"));
        Path directory = Path.of(settings.panelCertificateDir());
        Optional<CertificateSummary> current = current(directory);
        if (!force && current.isPresent() && current.get().dnsNames().contains(hostname)
                && clock.instant().isBefore(work.renewalTime(current.get().notBefore(), current.get().notAfter()))) {
            CertificateSummary summary = current.get();
            return new Outcome(false, summary.serialHex(), summary.notAfter(), work.renewalTime(summary.notBefore(), summary.notAfter()));
        }
        IssuedCertificate issued;
        try {
            AcmeAccount account = accounts.platformAccount().orElseThrow(() -> new IllegalStateException(
                    "the platform has no ACME account yet: an administrator makes it on the ACME account page (/ssl/acme)"));
            progress.accept("Ordering a certificate for " + hostname + " from " + account.directory().url() + ".");
            issued = issuer.issue(account, new CertificateRequest(List.of(hostname), ChallengeChoice.HTTP_01,
                    CertificateKeyType.EC_P256, null), new WebrootResponder(Path.of(settings.panelWebroot())),
                    IssuanceListener.NONE);
        } catch (AcmeFailure e) {
            throw new IllegalStateException(e.userMessage(), e);
        }
        write(directory.resolve("privkey.pem"), issued.privateKeyPem(), "rw-------");
        write(directory.resolve("fullchain.pem"), issued.chainPem(), "rw-r--r--");
        progress.accept("Wrote " + directory.resolve("fullchain.pem") + " (serial " + issued.serial() + ", valid until "
                + issued.notAfter() + ").");
        reload(progress);
        CertificateSummary summary = DeployedChain.leaf(issued.chainPem());
        return new Outcome(true, summary.serialHex(), summary.notAfter(), work.renewalTime(summary.notBefore(), summary.notAfter()));
    }

    private static Optional<CertificateSummary> current(Path directory) {
        Path chain = directory.resolve("fullchain.pem");
        if (!Files.isRegularFile(chain)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeployedChain.leaf(Files.readString(chain)));
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable file is replaced like a missing one.
            return Optional.empty();
        }
    }

    private void reload(Consumer<String> progress) {
        String command = settings.panelReloadCommand();
        if (command == null || command.isBlank()) {
            return;
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("the certificate is written, but [" + command + "] failed: " + output);
            }
            progress.accept("Ran [" + command + "].");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reloading nginx", e);
        }
    }

    /** Replaces the file in one step, so nginx never reads half of it. */
    private static void write(Path file, String content, String permissions) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".vip-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** HTTP-01 answers as files under the webroot nginx serves at /.well-known/acme-challenge/. */
    private static final class WebrootResponder implements ChallengeResponder {

        private final Path webroot;
        private final List<Path> written = new ArrayList<>();

        WebrootResponder(Path webroot) {
            this.webroot = webroot;
        }

        @Override
        public void present(List<AcmeChallenge> challenges) {
            for (AcmeChallenge challenge : challenges) {
                if (!(challenge instanceof AcmeChallenge.Http01 http)) {
                    throw new IllegalStateException("the panel's own certificate is proved with HTTP-01 only");
                }
                Path file = webroot.resolve(http.path().substring(1));
                write(file, http.content(), "rw-r--r--");
                written.add(file);
            }
        }

        @Override
        public void cleanUp(List<AcmeChallenge> challenges) {
            for (Path file : written) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            written.clear();
        }
    }
}
