package io.vippanel.platform;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code vip.*} setting; {@code configs/*.yaml.example} documents them.
 */
@ConfigurationProperties("vip")
public record VipProperties(
        @DefaultValue("serve") String mode,
        @DefaultValue("all") String role,
        @DefaultValue("http://127.0.0.1:8080") String baseUrl,
        @DefaultValue("./data") String dataDir,
        @DefaultValue Database database,
        @DefaultValue Redis redis,
        @DefaultValue Mail mail,
        @DefaultValue Security security,
        @DefaultValue Jobs jobs,
        @DefaultValue Automation automation,
        @DefaultValue Providers providers,
        @DefaultValue Servers servers,
        @DefaultValue Sites sites,
        @DefaultValue Dns dns,
        @DefaultValue Ssl ssl) {

    public boolean servesHttp() {
        return !"worker".equals(role);
    }

    /** Whether this process claims and runs background jobs (roles {@code worker} and {@code all}, never a CLI task). */
    public boolean runsJobs() {
        return !"api".equals(role) && !isCli();
    }

    public boolean isCli() {
        return "cli".equals(mode);
    }

    public record Database(@Nullable String url, @Nullable String user, @Nullable String password,
                           @DefaultValue("true") boolean migrateOnStart, @DefaultValue("20") int poolSize) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    public record Redis(@Nullable String url, @DefaultValue("vip:") String keyPrefix) {
        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    public record Mail(@Nullable String host, @DefaultValue("25") int port, @Nullable String username,
                       @Nullable String password, @DefaultValue("panel@localhost") String from,
                       @DefaultValue("false") boolean starttls) {
        public boolean configured() {
            return host != null && !host.isBlank();
        }
    }

    public record Security(@Nullable String masterKey, @Nullable String masterKeyFile,
                           @DefaultValue Session session, @DefaultValue Password password,
                           @DefaultValue Login login, @DefaultValue RateLimit rateLimit,
                           @DefaultValue("true") boolean hsts,
                           @DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> trustedProxies) {
    }

    public record Session(@DefaultValue("30m") Duration idleTimeout, @DefaultValue("12h") Duration absoluteTimeout) {
    }

    public record Password(@DefaultValue("12") int minLength) {
    }

    public record Login(@DefaultValue("5") int maxFailuresPerAccount, @DefaultValue("15m") Duration lockout) {
    }

    public record RateLimit(@DefaultValue("10") int loginPerIpPerMinute,
                            @DefaultValue("5") int loginPerAccountPerMinute,
                            @DefaultValue("600") int apiPerTokenPerMinute) {
    }

    /**
     * Background jobs. A worker that stops heart-beating for {@code heartbeatInterval * missedHeartbeats} is
     * presumed dead and its jobs are picked up again by another worker. Browsers' live streams end after
     * {@code streamTimeout} and reconnect, which re-checks the session.
     */
    public record Jobs(@DefaultValue("8") int threads, @DefaultValue("2s") Duration pollingInterval,
                       @DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("6") int missedHeartbeats,
                       @DefaultValue("30s") Duration shutdownMaxWait, @DefaultValue("90d") Duration retention,
                       @DefaultValue("2m") Duration streamTimeout) {
    }

    /**
     * Running playbooks and SSH commands on managed servers. {@code dir} holds {@code playbooks/}, {@code roles/} and
     * {@code templates/}; where it does not exist (a jar started elsewhere) the copy bundled in the jar is extracted
     * to {@code <data-dir>/automation/<content hash>} and used instead.
     */
    public record Automation(@DefaultValue("automation") String dir,
                             @DefaultValue("ansible-playbook") String ansiblePlaybook,
                             @DefaultValue("30m") Duration defaultTimeout,
                             @DefaultValue("20s") Duration connectTimeout) {
    }

    /**
     * Cloud provider APIs. The base URLs exist so that a private endpoint (or a test stub) can stand in for the
     * public API; {@code awsEndpoint}/{@code awsPricingEndpoint} empty means the SDK's regional endpoints. A 429 or
     * 5xx answer is retried up to {@code maxRetries} times, waiting what the provider asks (Retry-After, rate-limit
     * reset) or {@code retryBase} doubled each time, never longer than {@code maxRetryWait} at once. Provider
     * actions (create, resize) are polled every {@code actionPollInterval} for at most {@code actionTimeout}.
     * Catalogs (regions, sizes, images) are cached for {@code catalogTtl}.
     */
    public record Providers(@DefaultValue("https://api.hetzner.cloud/v1") String hetznerUrl,
                            @DefaultValue("https://api.digitalocean.com/v2") String digitaloceanUrl,
                            @DefaultValue("https://api.vultr.com/v2") String vultrUrl,
                            @Nullable String awsEndpoint,
                            @Nullable String awsPricingEndpoint,
                            @DefaultValue("20s") Duration requestTimeout,
                            @DefaultValue("4") int maxRetries,
                            @DefaultValue("1s") Duration retryBase,
                            @DefaultValue("60s") Duration maxRetryWait,
                            @DefaultValue("2s") Duration actionPollInterval,
                            @DefaultValue("10m") Duration actionTimeout,
                            @DefaultValue("10m") Duration catalogTtl) {
    }

    /**
     * Managed servers. {@code panelAddresses}: where the panel connects from, allowed to reach each server's
     * node_exporter and health page; empty means the local address the panel uses towards each server.
     * {@code phpVendorRepo}: install PHP from Ondřej Surý's repository (several versions side by side) rather than
     * only the distribution's version. {@code nodejsFromDistro}: take the distribution's Node.js instead of
     * NodeSource's {@code nodejsVersion}. {@code sshWaitTimeout}: how long a new server may take to answer SSH.
     * {@code automationWait}: how long another module's job waits for its turn on a busy server (one playbook at a
     * time per server) before it is retried later.
     */
    public record Servers(@DefaultValue({}) List<String> panelAddresses,
                          @DefaultValue("true") boolean phpVendorRepo,
                          @DefaultValue("22") int nodejsVersion,
                          @DefaultValue("false") boolean nodejsFromDistro,
                          @DefaultValue("UTC") String timezone,
                          @DefaultValue("40m") Duration provisionTimeout,
                          @DefaultValue("10m") Duration sshWaitTimeout,
                          @DefaultValue("5s") Duration sshWaitInterval,
                          @DefaultValue("15m") Duration automationWait) {
    }

    /**
     * Sites and their deployments. {@code allowLocalRepositories}: accept {@code file://} repository URLs (a
     * repository on the managed server itself; meant for tests and single-machine setups). {@code appPortFirst}: the
     * first port handed to Node.js apps on a server. {@code deployTimeout}: how long one deployment (fetch, build
     * steps, switch) may take. {@code maxArchiveSize}: the largest archive a static site may upload.
     * {@code webhookMaxBody}: the largest push notification a webhook accepts. {@code webhookPerMinute}: webhook
     * calls per site and minute. {@code checkTimeout}: how long the HTTP check of a site waits for an answer.
     * {@code wordpressArchive} and {@code wordpressChecksum}: where servers download WordPress core from for the sites
     * the panel installs, and the checksum (or a URL of the checksum file, as Ansible's get_url takes it) it must have.
     */
    public record Sites(@DefaultValue("false") boolean allowLocalRepositories,
                        @DefaultValue("3000") int appPortFirst,
                        @DefaultValue("20m") Duration deployTimeout,
                        @DefaultValue("100MB") DataSize maxArchiveSize,
                        @DefaultValue("1MB") DataSize webhookMaxBody,
                        @DefaultValue("30") int webhookPerMinute,
                        @DefaultValue("15s") Duration checkTimeout,
                        @DefaultValue("https://wordpress.org/latest.tar.gz") String wordpressArchive,
                        @DefaultValue("sha1:https://wordpress.org/latest.tar.gz.sha1") String wordpressChecksum) {
    }

    /**
     * DNS providers. {@code cloudflareUrl}/{@code route53Endpoint}: the APIs' addresses (tests point them at local
     * stubs). {@code publicResolvers}: resolvers a propagation check asks besides the zone's own name servers
     * (e.g. {@code 1.1.1.1}, {@code 8.8.8.8}); empty asks only the authoritative servers. {@code driftInterval}: how
     * often every zone is compared with its provider.
     */
    public record Dns(@DefaultValue("https://api.cloudflare.com/client/v4") String cloudflareUrl,
                      @Nullable String route53Endpoint,
                      @DefaultValue("20s") Duration requestTimeout,
                      @DefaultValue("4") int maxRetries,
                      @DefaultValue("1s") Duration retryBase,
                      @DefaultValue("60s") Duration maxRetryWait,
                      @DefaultValue({}) List<String> publicResolvers,
                      @DefaultValue("10m") Duration propagationTimeout,
                      @DefaultValue("3s") Duration propagationInterval,
                      @DefaultValue("1h") Duration driftInterval) {
    }

    /**
     * Certificates. {@code acmeDirectory}: the CA the platform's ACME account is made at when the admin does not name
     * another (Let's Encrypt production; staging is https://acme-staging-v02.api.letsencrypt.org/directory).
     * {@code acmeTrustRoots}: a PEM file of root certificates to trust for the CA's own HTTPS instead of the JDK's
     * (a private CA, or Pebble in tests); unset for public CAs. {@code siteTrustRoots}: a PEM file of the roots sites'
     * certificates are checked against (custom uploads, the served-certificate check) instead of the JDK's; unset in
     * production. {@code renewBefore}: an ACME certificate is renewed this long before it expires (at most a third of
     * its lifetime) unless the CA's renewal information (ARI) names another time, asked for every
     * {@code renewalInfoInterval}. {@code renewalInterval}: how often the renewal sweep looks for certificates due;
     * {@code servedCheckInterval}: how often each site's port 443 is checked from outside. {@code panelHostname}: the
     * name the panel itself is reached at; when set, the worker keeps its certificate in {@code panelCertificateDir}
     * (fullchain.pem, privkey.pem), answering HTTP-01 from {@code panelWebroot}, and runs {@code panelReloadCommand}
     * after each new one (deploy/nginx/vip-panel.conf reads them there).
     */
    public record Ssl(@DefaultValue("https://acme-v02.api.letsencrypt.org/directory") String acmeDirectory,
                      @Nullable String acmeTrustRoots,
                      @Nullable String siteTrustRoots,
                      @DefaultValue("30d") Duration renewBefore,
                      @DefaultValue("1h") Duration renewalInterval,
                      @DefaultValue("12h") Duration renewalInfoInterval,
                      @DefaultValue("6h") Duration servedCheckInterval,
                      @DefaultValue("7") int servedExpiryWarningDays,
                      @DefaultValue("10s") Duration servedCheckTimeout,
                      @Nullable String panelHostname,
                      @DefaultValue("/var/www/vip-panel-acme") String panelWebroot,
                      @DefaultValue("/etc/ssl/vip-panel") String panelCertificateDir,
                      @DefaultValue("nginx -s reload") String panelReloadCommand) {
    }
}
