package io.vippanel.dns.internal.provider.cloudflare;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Account;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.AccountRef;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Batch;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.NewZone;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Record;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.ResultInfo;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.TokenStatus;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Zone;
import io.vippanel.platform.ApiHttp;
import io.vippanel.platform.VipProperties;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.client.RestClient;

/**
 * One Cloudflare API token's zones and DNS records. Changes go to Cloudflare as one {@code dns_records/batch}
 * request, which it runs in one database transaction: all of them are applied or none. Records the panel creates
 * are not proxied; records proxied in Cloudflare stay proxied when the panel changes their value.
 */
public final class CloudflareDns implements DnsProvider {

    /** Cloudflare's largest page of zones. */
    private static final int ZONES_PER_PAGE = 50;
    private static final int RECORDS_PER_PAGE = 100;
    private static final int ACCOUNTS_PER_PAGE = 50;

    private final CloudflareApi api;
    private final DnsCredentials.Cloudflare credentials;

    /**
     * @param client one of {@link #restClient}, shared by every account
     */
    public CloudflareDns(RestClient client, VipProperties.Dns settings, DnsCredentials.Cloudflare credentials) {
        this.api = new CloudflareApi(client, settings, credentials.apiToken());
        this.credentials = credentials;
    }

    /** The HTTP client for Cloudflare: {@code vip.dns.request-timeout} to connect and to answer, no redirects. */
    public static RestClient restClient(VipProperties.Dns settings) {
        return ApiHttp.restClient(settings.requestTimeout());
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.CLOUDFLARE;
    }

    @Override
    public String verifyCredentials() {
        TokenStatus token = api.get("/user/tokens/verify", Map.of(), TokenStatus.class);
        if (!"active".equals(token.status())) {
            throw new DnsProviderException(DnsProviderKind.CLOUDFLARE, Reason.CREDENTIALS, 200,
                    List.of("the API token is " + token.status()), null);
        }
        ResultInfo zonePaging = api.getEnvelope("/zones", Map.of("page", 1, "per_page", 5)).resultInfo();
        int zones = zonePaging == null ? 0 : zonePaging.totalCount();
        return "API token active, " + zones + (zones == 1 ? " zone" : " zones");
    }

    @Override
    public List<ProviderZone> zones() {
        return api.collect("/zones", Map.of(), ZONES_PER_PAGE, Zone.class).stream().map(CloudflareDns::zone).toList();
    }

    @Override
    public Optional<ProviderZone> findZone(String name) {
        String wanted = zoneName(name);
        return api.collect("/zones", Map.of("name", wanted), ZONES_PER_PAGE, Zone.class).stream()
                .filter(zone -> zone.name().equalsIgnoreCase(wanted))
                .findFirst()
                .map(CloudflareDns::zone);
    }

    @Override
    public ProviderZone createZone(String name) {
        NewZone zone = new NewZone(zoneName(name), new AccountRef(accountId()), "full");
        return zone(api.post("/zones", zone, Zone.class));
    }

    @Override
    public void deleteZone(ProviderZone zone) {
        try {
            api.delete("/zones/" + zone.id());
        } catch (DnsProviderException e) {
            if (e.reason() != Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public List<RecordSet> recordSets(ProviderZone zone) {
        return CloudflareRecords.recordSets(records(zone));
    }

    /**
     * Reads the zone's records, works out the fewest operations ({@link ChangePlan}) and sends them as one batch;
     * changes that are already in place send nothing.
     */
    @Override
    public void apply(ProviderZone zone, List<RecordSetChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Batch batch = ChangePlan.plan(records(zone), changes);
        if (!batch.isEmpty()) {
            api.postWithoutResult("/zones/" + zone.id() + "/dns_records/batch", batch);
        }
    }

    private List<Record> records(ProviderZone zone) {
        return api.collect("/zones/" + zone.id() + "/dns_records", Map.of(), RECORDS_PER_PAGE, Record.class);
    }

    /** The account from the credentials, else the token's only account. */
    private String accountId() {
        String configured = credentials.accountId();
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        List<Account> accounts = api.collect("/accounts", Map.of(), ACCOUNTS_PER_PAGE, Account.class);
        if (accounts.size() != 1) {
            throw new DnsProviderException(DnsProviderKind.CLOUDFLARE, Reason.INVALID, 0, List.of("the API token reaches "
                    + accounts.size() + " accounts; set the Cloudflare account id that new zones belong to"), null);
        }
        return accounts.getFirst().id();
    }

    private static String zoneName(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static ProviderZone zone(Zone zone) {
        List<String> nameservers = Objects.requireNonNullElse(zone.nameServers(), List.<String>of()).stream()
                .map(ns -> ns.endsWith(".") ? ns.substring(0, ns.length() - 1) : ns)
                .map(ns -> ns.toLowerCase(Locale.ROOT))
                .toList();
        return new ProviderZone(zone.id(), zone.name().toLowerCase(Locale.ROOT), nameservers);
    }
}
