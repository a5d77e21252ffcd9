package io.vippanel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.vippanel.dns.DnsAccounts;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.jobs.TestJobTypes;
import io.vippanel.platform.Ids;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.sites.SiteServiceFixtures;
import io.vippanel.sites.SiteType;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.tenancy.Tenant;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Checks the "## Routes" table of {@code docs/permissions.md} against the running panel: every route, called as
 * each role's user, must answer as the table says; called by a reseller or client with the ids of the sibling
 * reseller's subtree, it must always be refused and change nothing. The document is the source of truth, so a
 * change of the code that is not also made in the document (or the reverse) fails here.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixTests {

    /** A different copy of the document can be checked with -Dvip.permissions.doc=..., e.g. to see a flipped cell fail. */
    static final Path DOCUMENT = Path.of(System.getProperty("vip.permissions.doc", "docs/permissions.md"));

    static final List<String> ROLES = List.of("superadmin", "admin", "reseller", "client");

    /**
     * Routes of signed-in controllers that the table deliberately leaves out. Anything else the panel maps must be
     * in the table, so a new route fails {@link #everyMappedRouteIsDocumentedAndEveryDocumentedRouteExists} until
     * someone decides who may call it and writes it down.
     */
    static final Map<String, String> NOT_IN_TABLE = ignoreList();

    private static Map<String, String> ignoreList() {
        Map<String, String> ignored = new LinkedHashMap<>();
        String publicPage = "public (no sign-in), listed under 'Public routes' in the document";
        for (String route : List.of("GET /login", "POST /login", "GET /login/2fa", "POST /login/2fa", "GET /setup/{}", "POST /setup/{}",
                "GET /invite/{}", "POST /invite/{}", "GET /forgot", "POST /forgot", "GET /reset/{}", "POST /reset/{}")) {
            ignored.put(route, publicPage);
        }
        ignored.put("ANY /error", "the container's error page, reached only by error dispatches");
        // Repository hosts post push notifications; the site's webhook secret is the credential (see SitesApiTests).
        ignored.put("POST /hooks/sites/{}", "public push webhook, authenticated by its signature, listed under 'Public routes'");
        // springdoc's OpenAPI document is public by design (see the document's last paragraph).
        ignored.put("GET /v3/api-docs", "public OpenAPI document");
        ignored.put("GET /v3/api-docs.yaml", "public OpenAPI document");
        ignored.put("GET /v3/api-docs/swagger-config", "public OpenAPI document");
        ignored.put("GET /v3/api-docs/{}", "public OpenAPI document (groups)");
        ignored.put("GET /v3/api-docs.yaml/{}", "public OpenAPI document (groups)");
        // The tenant switcher only narrows the caller's own view to a tenant it can already see (Tenants.get checks it).
        ignored.put("POST /switch-tenant", "narrows the caller's own view; the target is looked up within the caller's subtree");
        // Self-service on the caller's own account (PROFILE_MANAGE, reach SELF): every role may, on itself only;
        // the ids are looked up together with the caller's user id, so another user's id is a 404.
        String self = "self-service on the caller's own account";
        for (String route : List.of("GET /profile/2fa", "POST /profile/2fa", "POST /profile/2fa/disable", "POST /profile/2fa/recovery-codes",
                "POST /profile/password", "POST /profile/sessions/{}/revoke", "POST /profile/sessions/revoke-others",
                "POST /profile/tokens/{}/revoke", "DELETE /api/v1/tokens/{}")) {
            ignored.put(route, self);
        }
        return Map.copyOf(ignored);
    }

    /**
     * Routes whose success needs a cloud provider's answer, which the test never gets (providers point at a closed
     * port): for them "allow" means neither 403 nor 404 (see the document).
     */
    static final Set<String> NEEDS_A_PROVIDER = Set.of("POST /providers", "POST /servers/{server}/resize",
            "POST /api/v1/provider-accounts", "GET /api/v1/provider-accounts/{account}/catalog",
            "POST /api/v1/servers/{server}/actions/resize", "POST /dns/accounts", "POST /api/v1/dns/accounts",
            "POST /ssl/acme/terms", "POST /ssl/acme", "GET /api/v1/ssl/acme-accounts/terms", "PUT /api/v1/ssl/acme-accounts",
            // A custom certificate must chain to a root the panel trusts; the matrix sends none, so the allowed roles
            // get the 422 about the missing certificate and the others a 403 or 404.
            "POST /ssl/sites/{site}/upload", "PUT /api/v1/sites/{site}/certificate");

    /**
     * Rows whose refusal is the form's answer rather than a 403: the denied role gets a 422 with this message (a
     * client may not choose the address of a PowerDNS server), and the allowed roles must get past that check.
     */
    static final Map<String, String> REFUSED_AS_INPUT = Map.of(
            "POST /dns/accounts (kind powerdns)", "PowerDNS servers are connected by the platform or your reseller",
            "POST /api/v1/dns/accounts (kind powerdns)", "PowerDNS servers are connected by the platform or your reseller");

    /** Routes whose body (see formBody and jsonBody) names the tenant to create in or invite into. */
    static final Set<String> BODY_NAMES_A_TENANT = Set.of("POST /tenants", "POST /users", "POST /api/v1/tenants", "POST /api/v1/users");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Fixture fixture;
    List<RouteRow> rows;
    Map<String, Caller> callers;
    SystemTransactions system;
    JdbcClient jdbc;
    Set<String> mapped;
    /** The {job} of each subtree: a job of the first client, and one of the sibling's client that must stay out of reach. */
    Job ownJob;
    Job siblingJob;
    /** The servers module's targets of each subtree: a ready server with a key and a rule, and a provider account. */
    ServerFixtures servers;
    Server ownServer;
    Server siblingServer;
    String ownAccount;
    String siblingAccount;
    String ownKey;
    String siblingKey;
    String ownRule;
    String siblingRule;
    /** The sites module's targets of each subtree: a ready site on the server with a database, a cron job and a worker. */
    SiteServiceFixtures siteServices;
    SiteTargets ownSite;
    SiteTargets siblingSite;
    /** Per role, the ready server of the caller's own tenant that {@code POST /sites} creates a site on. */
    Map<String, Server> wizardServers;
    /** Puts the sites back into the state each route needs (ready, suspended, no deployment under way). */
    io.vippanel.sites.SiteFixtures sites;
    /** The DNS module's targets of each subtree: the reseller's shared PowerDNS, the client's Cloudflare account, a zone, records. */
    DnsTargets ownDns;
    DnsTargets siblingDns;
    final AtomicInteger serial = new AtomicInteger();

    /** One row of the table: the route as written, its method and path, an optional variant note, and the four cells. */
    record RouteRow(String cell, String method, String path, @Nullable String variant, Map<String, Boolean> allowed) {

        boolean isApi() {
            return path.startsWith("/api/");
        }

        /** A live stream (Server-Sent Events): it never ends by itself, so only its status and headers are checked. */
        boolean isStream() {
            return path.startsWith("/events/");
        }

        /** The route with placeholders blanked, to compare with the paths the controllers map. */
        String mappingKey() {
            return method + " " + path.replaceAll("\\{[^}]+}", "{}");
        }

        /** Whether the call names a tenant or user, in its path or (for the create and invite routes) in its body. */
        boolean hasPlaceholder() {
            return cell.contains("{") || BODY_NAMES_A_TENANT.contains(method + " " + path);
        }
    }

    /** A site and what it holds, named by {site}, {database}, {cronJob} and {worker}. */
    record SiteTargets(String site, String domain, String database, String cronJob, String worker, String deployment,
                       String certificate) {

        String bind(String text) {
            return text.replace("{site}", site).replace("{database}", database).replace("{cronJob}", cronJob).replace("{worker}", worker)
                    .replace("{deployment}", deployment).replace("{certificate}", certificate);
        }
    }

    /**
     * A subtree's DNS: {@code hostAccount} a PowerDNS account its reseller shares, {@code dnsAccount} (named
     * {@code dnsAccountName}) a Cloudflare account of the client that no zone uses, {@code zone} (named {@code zoneName})
     * an active zone of the client on the shared account, {@code record} its A record {@code www}, and
     * {@code siteRecord} the A record the panel made for the client's site (removed with the site when asked).
     */
    record DnsTargets(String hostAccount, String dnsAccount, String dnsAccountName, String zone, String zoneName, String record,
                      String siteRecord) {

        String bind(String text) {
            return text.replace("{dnsAccount}", dnsAccount).replace("{zone}", zone).replace("{record}", record);
        }

        String recordName() {
            return "www." + zoneName;
        }

        String siteRecordName() {
            return "site." + zoneName;
        }
    }

    /** The ids the placeholders stand for: the first reseller's subtree, or the sibling reseller's. */
    record Bindings(String reseller, String client, String clientUser, String platform, String staffUser, String job, Server server,
                    String account, String sshKey, String rule, SiteTargets sites, DnsTargets dns) {

        String bind(String text) {
            String bound = text.replace("{reseller}", reseller).replace("{client}", client).replace("{clientUser}", clientUser)
                    .replace("{platform}", platform).replace("{staffUser}", staffUser).replace("{job}", job)
                    .replace("{server}", server.id()).replace("{account}", account).replace("{sshKey}", sshKey).replace("{rule}", rule);
            bound = dns.bind(sites.bind(bound));
            assertThat(bound).as("unknown placeholder in [%s]; the test knows {reseller}, {client}, {clientUser}, {platform}, {staffUser}, "
                    + "{job}, {server}, {account}, {sshKey}, {rule}, {site}, {database}, {cronJob}, {worker}, {deployment}, {certificate}, {dnsAccount}, "
                    + "{zone} and {record}", text).doesNotContain("{", "}");
            return bound;
        }
    }

    /** A fixture user with a signed-in browser and an API token. */
    record Caller(String role, Actor actor, PanelClient browser, PanelClient api) {
    }

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
        rows = readRoutes(DOCUMENT);
        callers = new LinkedHashMap<>();
        callers.put("superadmin", caller("superadmin", fixture.superadmin));
        callers.put("admin", caller("admin", fixture.admin));
        callers.put("reseller", caller("reseller", fixture.reseller1User));
        callers.put("client", caller("client", fixture.client1User));
        system = context.getBean(SystemTransactions.class);
        jdbc = JdbcClient.create(context.getBean(DataSource.class));
        mapped = mappedRoutes();
        // This context does not run jobs (role api), so both stay queued until a row's preparation sets their state.
        Jobs jobs = context.getBean(Jobs.class);
        ownJob = system.call(() -> jobs.enqueue(NewJob.of(fixture.client1.id(), TestJobTypes.STEPS, "Matrix job", fixture.client1User)));
        siblingJob = system.call(() -> jobs.enqueue(NewJob.of(fixture.client2.id(), TestJobTypes.STEPS, "Sibling matrix job", fixture.client2User)));
        // Custom servers, created through the service (their provisioning jobs stay queued) and then marked ready;
        // provider accounts written directly, as no provider is reachable from the test.
        servers = new ServerFixtures(context);
        String tag = fixture.client1.id().substring(4, 10).toLowerCase(Locale.ROOT);
        ownServer = servers.readyServer(fixture.client1User, "matrix-" + tag, "198.51.100.20");
        siblingServer = servers.readyServer(fixture.client2User, "sibling-" + tag, "198.51.100.21");
        ownKey = servers.sshKey(fixture.client1User, ownServer.id());
        siblingKey = servers.sshKey(fixture.client2User, siblingServer.id());
        ownRule = servers.firewallRule(fixture.client1User, ownServer.id(), 8081);
        siblingRule = servers.firewallRule(fixture.client2User, siblingServer.id(), 8081);
        ownAccount = servers.providerAccount(fixture.client1, "Matrix account " + tag);
        siblingAccount = servers.providerAccount(fixture.client2, "Sibling account " + tag);
        siteServices = new SiteServiceFixtures(context);
        ownSite = siteTargets(ownServer);
        siblingSite = siteTargets(siblingServer);
        wizardServers = wizardServers(tag);
        sites = new io.vippanel.sites.SiteFixtures(context);
        // Zone names sort first in the lists (which show 50), and the tag becomes a valid label.
        String label = tag.replaceAll("[^a-z0-9]", "x");
        ownDns = dnsTargets(fixture.reseller1, fixture.client1, ownSite, "0-matrix-" + label, "Matrix");
        siblingDns = dnsTargets(fixture.reseller2, fixture.client2, siblingSite, "0-sibling-" + label, "Sibling");
    }

    /**
     * Written directly in the system scope, as adding an account checks it live with a provider the test cannot reach:
     * the credentials are sealed with the panel's SecretBox bound to the row, as DnsAccounts does, so that the routes
     * that connect (a test of the account) decrypt them and then fail at the closed port like a real outage.
     */
    private DnsTargets dnsTargets(Tenant reseller, Tenant client, SiteTargets site, String zoneLabel,
                                  String prefix) {
        String hostAccount = Ids.newId("dnsa");
        dnsAccount(hostAccount, reseller, "powerdns", prefix + " PowerDNS " + zoneLabel, true,
                "{\"apiUrl\":\"http://127.0.0.1:9\",\"apiKey\":\"matrix-pdns-key\",\"serverId\":\"localhost\","
                        + "\"nameservers\":[\"ns1.example.net\",\"ns2.example.net\"]}");
        String zoneName = zoneLabel + ".example.test";
        DnsTargets targets = new DnsTargets(hostAccount, Ids.newId("dnsa"), prefix + " DNS account " + zoneLabel, Ids.newId("zone"), zoneName,
                Ids.newId("rec"), Ids.newId("rec"));
        update("""
                INSERT INTO dns_zones (id, tenant_id, account_id, name, provider_zone_id, nameservers, status, created_at)
                VALUES (?, ?, ?, ?, ?, CAST('["ns1.example.net", "ns2.example.net"]' AS jsonb), 'active', now())""",
                targets.zone(), client.id(), hostAccount, zoneName, zoneName + ".");
        resetDns(targets, client, site);
        return targets;
    }

    private void dnsAccount(String id, Tenant owner, String kind, String name, boolean shared, String credentials) {
        String sealed = context.getBean(SecretBox.class).encrypt(credentials, DnsAccounts.CREDENTIALS_COLUMN.boundTo(id));
        update("""
                INSERT INTO dns_accounts (id, tenant_id, owner_path, kind, name, shared, credentials, credential_hint, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, '…key!', now())""", id, owner.id(), owner.path(), kind, name, shared, sealed);
    }

    /**
     * Puts a subtree's DNS back as the fixture made it: the client's Cloudflare account (an allowed delete removed it),
     * the zone active with one drifted set to settle, unsigned and with nothing pending, and its two records.
     */
    private void resetDns(DnsTargets dns, Tenant client, SiteTargets site) {
        if (count("SELECT count(*) FROM dns_accounts WHERE id = ?", dns.dnsAccount()) == 0) {
            dnsAccount(dns.dnsAccount(), client, "cloudflare", dns.dnsAccountName(), false,
                    "{\"apiToken\":\"" + "c".repeat(40) + "\",\"accountId\":\"\"}");
        }
        String drift = """
                [{"name": "%s", "type": "A", "panelTtl": 3600, "panelContents": ["192.0.2.53"], "providerTtl": 3600,
                  "providerContents": ["192.0.2.99"]}]""".formatted(dns.recordName());
        update("""
                UPDATE dns_zones SET status = 'active', status_note = NULL, dnssec = false, ds_records = CAST('[]' AS jsonb),
                       drift = CAST(? AS jsonb), drift_checked_at = now(), sync_lease_until = NULL WHERE id = ?""", drift, dns.zone());
        update("DELETE FROM dns_pending_sets WHERE zone_id = ?", dns.zone());
        update("DELETE FROM dns_records WHERE id IN (?, ?)", dns.record(), dns.siteRecord());
        update("DELETE FROM dns_records WHERE zone_id = ? AND name = ? AND type = 'A'", dns.zone(), dns.recordName());
        update("""
                INSERT INTO dns_records (id, tenant_id, zone_id, name, type, ttl, content, site_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'A', 3600, '192.0.2.53', NULL, now(), now()), (?, ?, ?, ?, 'A', 300, '198.51.100.20', ?, now(), now())""",
                dns.record(), client.id(), dns.zone(), dns.recordName(), dns.siteRecord(), client.id(), dns.zone(), dns.siteRecordName(),
                site.site());
    }

    private void resetDns() {
        resetDns(ownDns, fixture.client1, ownSite);
        resetDns(siblingDns, fixture.client2, siblingSite);
    }

    private SiteTargets siteTargets(Server server) {
        String site = siteServices.site(server, SiteType.LARAVEL);
        siteServices.environment(site, "APP_NAME=matrix\nAPP_KEY=base64:matrix\n");
        String domain = String.valueOf(query("SELECT domain FROM sites WHERE id = ?", site).getFirst().get("domain"));
        return new SiteTargets(site, domain, siteServices.database(site, "matrix-password-" + site), siteServices.cronJob(site),
                siteServices.worker(site), deployable(site), certificate(site));
    }

    /** A deployed ACME certificate of the site, as a finished issuance leaves it. */
    private String certificate(String site) {
        String id = Ids.newId("crt");
        update("""
                INSERT INTO certificates (id, tenant_id, site_id, source, challenge, names, status, serial, fingerprint, issuer,
                                          not_before, not_after, deployed_at, renew_after, created_at, updated_at)
                SELECT ?, tenant_id, id, 'acme', 'automatic', jsonb_build_array(domain), 'valid', '0A1B', 'AA:BB', 'CN=Matrix CA',
                       now(), now() + interval '90 days', now(), now() + interval '60 days', now(), now() FROM sites WHERE id = ?""",
                id, site);
        return id;
    }

    /**
     * Gives the site a repository to deploy from and a live release, and returns a succeeded deployment of an older
     * release that is still kept (what the pages' rollback needs).
     */
    private String deployable(String site) {
        String deployment = Ids.newId("dep");
        update("UPDATE sites SET deploy_source = 'git', repository_url = 'https://example.test/matrix.git', branch = 'main', "
                + "current_release = '20260102000000' WHERE id = ?", site);
        update("""
                INSERT INTO site_deployments (id, tenant_id, site_id, kind, trigger, release, commit_hash, commit_message, branch, status,
                                              started_at, finished_at, duration_ms, created_at)
                SELECT ?, tenant_id, id, 'deploy', 'manual', '20260101000000', 'c0ffee0000000000000000000000000000000000', 'Matrix commit',
                       'main', 'succeeded', now(), now(), 1000, now() - interval '1 day' FROM sites WHERE id = ?""", deployment, site);
        return deployment;
    }

    /** A ready server in each caller's own tenant, for the site wizard (a site goes on a server of the tenant it is made in). */
    private Map<String, Server> wizardServers(String tag) {
        Server platform = servers.readyServer(fixture.superadmin, "matrix-platform-" + tag, "198.51.100.22");
        return Map.of("superadmin", platform, "admin", platform, "reseller",
                servers.readyServer(fixture.reseller1User, "matrix-reseller-" + tag, "198.51.100.23"), "client", ownServer);
    }

    private Caller caller(String role, Actor actor) {
        return new Caller(role, actor, PanelClient.browser(port).login(actor.email(), Fixture.PASSWORD), PanelClient.api(port, fixture.tokenOf(actor)));
    }

    @Test
    @Order(1)
    void theTableIsReadableAndNotEmpty() {
        assertThat(rows).as("rows of the '## Routes' table in %s", DOCUMENT).hasSizeGreaterThanOrEqualTo(20);
        assertThat(rows).allSatisfy(row -> assertThat(row.allowed().keySet()).containsExactlyElementsOf(ROLES));
        assertThat(rows).extracting(RouteRow::cell).doesNotHaveDuplicates();
        // Both the pages and the REST API are covered, and the table is not trivially all-allow or all-deny.
        assertThat(rows).anyMatch(RouteRow::isApi).anyMatch(row -> !row.isApi());
        assertThat(rows).anyMatch(row -> row.allowed().containsValue(false)).anyMatch(row -> row.allowed().containsValue(true));
    }

    @Test
    @Order(2)
    void everyMappedRouteIsDocumentedAndEveryDocumentedRouteExists() {
        Set<String> documented = rows.stream().map(RouteRow::mappingKey).collect(Collectors.toCollection(TreeSet::new));

        Set<String> undocumented = new TreeSet<>(mapped);
        undocumented.removeAll(documented);
        undocumented.removeAll(NOT_IN_TABLE.keySet());
        assertThat(undocumented).as("routes the panel maps but docs/permissions.md does not list: add them to the Routes table "
                + "(or, for a public or self-service route, to NOT_IN_TABLE with the reason)").isEmpty();

        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(mapped);
        assertThat(stale).as("routes in docs/permissions.md that the panel does not map").isEmpty();

        // The ignore list must not hide a documented route, and should not keep entries for routes that are gone
        // (springdoc's optional group routes excepted).
        assertThat(NOT_IN_TABLE.keySet()).doesNotContainAnyElementsOf(documented);
        assertThat(mapped).containsAll(NOT_IN_TABLE.keySet().stream().filter(route -> !route.startsWith("GET /v3/")).toList());
    }

    /** Every method and path the panel's controllers map, with path variables blanked to {}. */
    private Set<String> mappedRoutes() {
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{[^}]+}", "{}");
                if (methods.isEmpty()) {
                    routes.add("ANY " + path);
                }
                methods.forEach(method -> routes.add(method.name() + " " + path));
            }
        }
        return routes;
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> everyRouteAnswersEveryRoleAsTheDocumentSays() {
        Bindings own = new Bindings(fixture.reseller1.id(), fixture.client1.id(), fixture.client1Other.userId(), fixture.platform.id(),
                fixture.admin.userId(), ownJob.id(), ownServer, ownAccount, ownKey, ownRule, ownSite, ownDns);
        return rows.stream().flatMap(row -> ROLES.stream().map(role -> {
            boolean allow = row.allowed().get(role);
            return dynamicTest(row.cell() + " as " + role + " → " + (allow ? "allow" : "deny"),
                    () -> check(row, callers.get(role), own, allow));
        }));
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> theSiblingResellersSubtreeIsAlwaysRefused() {
        Bindings sibling = new Bindings(fixture.reseller2.id(), fixture.client2.id(), fixture.client2Other.userId(), fixture.platform.id(),
                fixture.admin.userId(), siblingJob.id(), siblingServer, siblingAccount, siblingKey, siblingRule, siblingSite, siblingDns);
        Stream<DynamicTest> calls = rows.stream().filter(RouteRow::hasPlaceholder)
                .flatMap(row -> Stream.of("reseller", "client").map(role ->
                        dynamicTest(row.cell() + " as " + role + " on the sibling subtree → deny", () -> check(row, callers.get(role), sibling, false))));
        // Beyond the per-call snapshots: the sibling subtree still looks exactly as the fixture made it.
        Stream<DynamicTest> intact = Stream.of(dynamicTest("the sibling subtree is unchanged", () -> {
            assertThat(tenantRow(fixture.reseller2.id())).containsEntry("status", "active").containsEntry("name", fixture.reseller2.name())
                    .containsEntry("require_2fa", false);
            assertThat(tenantRow(fixture.client2.id())).containsEntry("status", "active").containsEntry("name", fixture.client2.name())
                    .containsEntry("require_2fa", false).containsEntry("max_users", null);
            assertThat(userStatus(fixture.client2Other.userId())).isEqualTo("active");
            assertThat(userStatus(fixture.client2User.userId())).isEqualTo("active");
            assertThat(count("SELECT count(*) FROM tenants WHERE parent_id IN (?, ?)", fixture.reseller2.id(), fixture.client2.id())).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM users WHERE tenant_id IN (?, ?)", fixture.reseller2.id(), fixture.client2.id())).isEqualTo(3);
            assertThat(query("SELECT tenant_id, status FROM dns_zones WHERE id = ?", siblingDns.zone()))
                    .containsExactly(Map.of("tenant_id", fixture.client2.id(), "status", "active"));
            assertThat(count("SELECT count(*) FROM dns_zones WHERE tenant_id IN (?, ?)", fixture.reseller2.id(), fixture.client2.id())).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM dns_records WHERE zone_id = ?", siblingDns.zone())).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM dns_accounts WHERE tenant_id IN (?, ?)", fixture.reseller2.id(), fixture.client2.id())).isEqualTo(2);
        }));
        return Stream.concat(calls, intact);
    }

    // --- one call

    private void check(RouteRow row, Caller caller, Bindings bindings, boolean allow) {
        String path = bindings.bind(row.path());
        Target target = Target.of(row, bindings);
        prepare(row, caller, target);
        Map<String, List<Map<String, Object>>> before = snapshot();
        try {
            HttpResponse<String> response = call(row, caller, path, bindings);
            String answer = describe(response);
            String refusal = REFUSED_AS_INPUT.get(row.cell());
            if (allow && NEEDS_A_PROVIDER.contains(row.method() + " " + row.path())) {
                assertThat(response.statusCode()).as("%s %s as %s should be allowed (the provider may fail); got %s", row.method(), path,
                        caller.role(), answer).isNotIn(403, 404).isBetween(200, 599);
                if (refusal != null) {
                    assertThat(response.body()).as("%s %s as %s must pass the check that refuses the denied roles; got %s", row.method(),
                            path, caller.role(), answer).doesNotContain(refusal);
                }
            } else if (!allow && refusal != null) {
                assertThat(response.statusCode()).as("%s %s as %s should be refused as input (422); got %s", row.method(), path,
                        caller.role(), answer).isEqualTo(422);
                assertThat(response.body()).as("%s %s as %s: the refusal says why; got %s", row.method(), path, caller.role(), answer)
                        .contains(refusal);
                assertThat(snapshot()).as("the state after the refused %s %s as %s", row.method(), path, caller.role()).isEqualTo(before);
            } else if (allow) {
                assertThat(response.statusCode()).as("%s %s as %s should be allowed; got %s", row.method(), path, caller.role(), answer)
                        .isBetween(200, 399);
                String location = response.headers().firstValue("Location").orElse("");
                assertThat(location).as("%s %s as %s was sent to sign in again or to enrol: %s", row.method(), path, caller.role(), answer)
                        .doesNotContain("/login", "/profile/2fa");
                if (row.path().endsWith("/sites/{site}/delete") || (row.method().equals("DELETE") && row.path().equals("/api/v1/sites/{site}"))) {
                    assertThat(count("SELECT count(*) FROM dns_records WHERE id = ?", bindings.dns().siteRecord()))
                            .as("%s %s as %s with removeDnsRecords=true leaves the site's DNS record", row.method(), path, caller.role()).isZero();
                }
                // An empty answer would also be a refusal (e.g. row-level security hiding every row), so a read must show its target.
                String shown = shownBy(row, bindings);
                if (row.method().equals("GET") && shown != null) {
                    assertThat(response.body()).as("%s %s as %s should show %s; got %s", row.method(), path, caller.role(), shown, answer)
                            .contains(shown);
                }
                if (row.isStream()) {
                    assertThat(response.headers().firstValue("Content-Type")).as("%s as %s: %s", path, caller.role(), answer)
                            .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
                }
                // Nothing of the sibling subtree shows to its cousins, in a list or anywhere else.
                if (row.method().equals("GET") && List.of("reseller", "client").contains(caller.role())) {
                    assertThat(response.body()).as("%s %s as %s shows the sibling subtree's job or server; got %s", row.method(), path,
                            caller.role(), answer).doesNotContain(siblingJob.id(), siblingServer.id(), siblingServer.name(), siblingAccount,
                                    siblingSite.site(), siblingSite.domain(), siblingSite.deployment(), siblingDns.zone(),
                                    siblingDns.zoneName(), siblingDns.dnsAccount(), siblingDns.dnsAccountName(), siblingDns.hostAccount(),
                                    siblingDns.record());
                }
            } else {
                assertThat(response.statusCode()).as("%s %s as %s should be refused with 403 or 404; got %s", row.method(), path, caller.role(),
                        answer).isIn(403, 404);
                // A refusal must not have done any part of the work.
                assertThat(snapshot()).as("tenants and users after the refused %s %s as %s", row.method(), path, caller.role()).isEqualTo(before);
            }
        } finally {
            restore(row, target);
        }
    }

    /** Text an allowed read must contain: the tenant or user it names, or for the lists, the first client's other user. */
    private @Nullable String shownBy(RouteRow row, Bindings bindings) {
        if (row.path().contains("/dns")) {
            return switch (row.path()) {
                case "/dns", "/api/v1/dns/zones", "/dns/zones/{zone}", "/api/v1/dns/zones/{zone}" ->
                        bindings.dns().zoneName();
                // The header polled while a job runs shows the zone's status, not its name.
                case "/dns/zones/{zone}/status" -> "active</span>";
                case "/dns/zones/{zone}/export", "/api/v1/dns/zones/{zone}/export" -> "192.0.2.53";
                case "/api/v1/dns/zones/{zone}/records" -> bindings.dns().record();
                case "/dns/accounts", "/api/v1/dns/accounts", "/api/v1/dns/accounts/{dnsAccount}" -> bindings.dns().dnsAccountName();
                default -> null;
            };
        }
        if (row.path().contains("{clientUser}")) {
            return bindings.clientUser();
        }
        if (row.path().contains("{client}")) {
            return bindings.client();
        }
        if (row.path().contains("{job}") && !row.isStream()) {
            return bindings.job();
        }
        if (row.path().endsWith("/ssh-keys") && row.isApi()) {
            return bindings.sshKey();
        }
        if (row.path().endsWith("/firewall-rules")) {
            return bindings.rule();
        }
        if (row.path().contains("{deployment}") || row.path().endsWith("/deployments")) {
            return bindings.sites().deployment();
        }
        if (row.path().startsWith("/api/v1/sites/{site}/")) {
            String list = row.path().substring("/api/v1/sites/{site}/".length());
            return switch (list) {
                case "env" -> "APP_NAME=matrix";
                case "databases" -> bindings.sites().database();
                case "cron-jobs" -> bindings.sites().cronJob();
                case "workers" -> bindings.sites().worker();
                default -> null;
            };
        }
        if (row.path().equals("/sites/{site}")) {
            return bindings.sites().site();
        }
        if (row.path().equals("/ssl/sites/{site}/status")) {
            // The live part shows the certificate, not the site's name.
            return "0A1B";
        }
        if (row.path().startsWith("/ssl/sites/{site}") || row.path().contains("certificate") || row.path().equals("/ssl")) {
            return bindings.sites().domain();
        }
        if (row.path().equals("/api/v1/sites/{site}")) {
            return bindings.sites().domain();
        }
        if (row.path().contains("{server}")) {
            return bindings.server().name();
        }
        if (row.path().contains("{account}")) {
            return bindings.account();
        }
        return switch (row.path()) {
            case "/tenants", "/api/v1/tenants" -> bindings.client();
            case "/users", "/api/v1/users" -> fixture.client1Other.email();
            case "/jobs", "/api/v1/jobs" -> bindings.job();
            case "/api/v1/sites" -> bindings.sites().domain();
            case "/providers" -> bindings.account();
            default -> null;
        };
    }

    /** What a state-changing route acts on, so the test can set the stage and clean up after it. */
    record Target(@Nullable String tenantId, @Nullable String userId, @Nullable String jobId) {
        static Target of(RouteRow row, Bindings bindings) {
            String tenant = row.path().contains("{client}") ? bindings.client() : row.path().contains("{reseller}") ? bindings.reseller() : null;
            String user = row.path().contains("{clientUser}") ? bindings.clientUser() : null;
            String job = row.path().contains("{job}") ? bindings.job() : null;
            return new Target(tenant, user, job);
        }
    }

    private void prepare(RouteRow row, Caller caller, Target target) {
        if (touchesDns(row)) {
            // An allowed delete, DNSSEC switch, drift resolution or record change altered them; their jobs stay queued.
            resetDns();
        }
        prepareServers(row);
        prepareSites(row);
        if (row.path().equals("/jobs") || row.path().equals("/api/v1/jobs")) {
            // The server rows queue many jobs and a list shows the newest first: the job the list must show is made
            // the newest again.
            update("UPDATE jobs SET queued_at = now() WHERE id = ?", ownJob.id());
        }
        if (row.path().endsWith("/resume") && target.tenantId() != null && !insideOf(caller, target.tenantId())) {
            // Resuming is only meaningful on a suspended tenant. The caller's own tenant (or an ancestor of it) is
            // left active: suspending it would end the caller's session, and the answer would be about that instead.
            update("UPDATE tenants SET status = 'suspended' WHERE id = ?", target.tenantId());
        }
        if (row.path().endsWith("/enable") && target.userId() != null) {
            // Only a disabled user can be enabled; otherwise the answer would be a 422 about the state.
            update("UPDATE users SET status = 'disabled' WHERE id = ?", target.userId());
        }
        if (row.path().endsWith("/cancel") && target.jobId() != null) {
            // Only a job that has not finished can be cancelled: put it back in the queue (its queue entry may be gone,
            // and then a cancel is a request the next worker honours, which is still an accepted cancel).
            update("UPDATE jobs SET status = 'queued', cancel_requested = false, finished_at = NULL WHERE id = ?", target.jobId());
        }
        if ((row.path().endsWith("/rerun") || row.path().endsWith("/retry")) && target.jobId() != null) {
            // Only a failed or cancelled job can be run again.
            update("UPDATE jobs SET status = 'failed', finished_at = now() WHERE id = ?", target.jobId());
        }
    }

    /**
     * Server actions need a ready server, key and rule removals an installed key or applied rule, and the account
     * delete an account: each is set up again before every call (an allowed delete or reprovision changed it).
     */
    private void prepareServers(RouteRow row) {
        if (row.path().contains("{site}")) {
            // Removals and changes queue jobs that never run here: the rows go back to their applied state.
            siteServices.settle(ownSite.site());
            siteServices.settle(siblingSite.site());
            // One deployment at a time: one that an earlier call queued (and no worker runs here) is taken off the queue.
            update("UPDATE site_deployments SET status = 'cancelled' WHERE site_id IN (?, ?) AND status IN ('queued', 'running')",
                    ownSite.site(), siblingSite.site());
            if (row.path().endsWith("/unsuspend")) {
                update("UPDATE sites SET status = 'suspended' WHERE id IN (?, ?)", ownSite.site(), siblingSite.site());
            }
        }
        if (row.path().contains("{server}")) {
            servers.markReady(ownServer.id());
            servers.markReady(siblingServer.id());
            update("UPDATE server_ssh_keys SET status = 'installed' WHERE id IN (?, ?)", ownKey, siblingKey);
            update("UPDATE firewall_rules SET status = 'applied' WHERE id IN (?, ?)", ownRule, siblingRule);
        }
        if (row.path().contains("{account}") && count("SELECT count(*) FROM provider_accounts WHERE id = ?", ownAccount) == 0) {
            servers.providerAccount(fixture.client1, "Matrix account again " + serial.incrementAndGet(), ownAccount);
        }
    }

    /**
     * Site actions need a ready site with no deployment under way (an allowed deploy, rollback or delete changed
     * that), and bringing a site back needs a suspended one; the lists show the newest first, so the site to show is
     * made the newest again.
     */
    private void prepareSites(RouteRow row) {
        if (row.path().contains("{site}") || row.path().contains("{certificate}")) {
            for (String site : List.of(ownSite.site(), siblingSite.site())) {
                sites.markReady(site);
                if (row.path().endsWith("/unsuspend")) {
                    sites.setStatus(site, io.vippanel.sites.SiteStatus.SUSPENDED);
                }
            }
            update("UPDATE site_deployments SET created_at = now() WHERE id IN (?, ?)", ownSite.deployment(), siblingSite.deployment());
            // An allowed issue or renew left the certificate pending (its job stays queued): it is deployed and idle again.
            update("UPDATE certificates SET status = 'valid', source = 'acme', deployed_at = now() WHERE id IN (?, ?)",
                    ownSite.certificate(), siblingSite.certificate());
            // The targets are Laravel sites (they hold databases, cron jobs and workers); archives deploy static sites.
            boolean archive = row.path().endsWith("/deployments/archive") || row.path().endsWith("/deploy-archive");
            update("UPDATE sites SET type = ? WHERE id IN (?, ?)", archive ? "static" : "laravel",
                    ownSite.site(), siblingSite.site());
        }
        if (row.path().equals("/api/v1/sites")) {
            update("UPDATE sites SET created_at = now() WHERE id = ?", ownSite.site());
        }
    }

    /** The DNS routes, and the site deletions that remove the site's DNS records. */
    private static boolean touchesDns(RouteRow row) {
        return row.path().contains("/dns") || row.path().endsWith("/sites/{site}/delete")
                || (row.method().equals("DELETE") && row.path().endsWith("/sites/{site}"));
    }

    private void restore(RouteRow row, Target target) {
        if (touchesDns(row)) {
            resetDns();
        }
        // Suspensions and disabled users would disturb the calls that follow (a suspended tenant ends its users'
        // sessions), so every such change is undone right away.
        if (target.tenantId() != null && (row.path().endsWith("/suspend") || row.path().endsWith("/resume"))) {
            update("UPDATE tenants SET status = 'active' WHERE id = ?", target.tenantId());
        }
        if (target.userId() != null && (row.path().endsWith("/disable") || row.path().endsWith("/enable"))) {
            update("UPDATE users SET status = 'active' WHERE id = ?", target.userId());
        }
        if (row.path().contains("{server}")) {
            // A deleted or re-queued server goes back to ready for whoever comes next (a browser or another test).
            servers.markReady(ownServer.id());
        }
    }

    private boolean insideOf(Caller caller, String tenantId) {
        Map<String, Object> tenant = tenantRow(tenantId);
        return caller.actor().tenantPath().startsWith(String.valueOf(tenant.get("path")));
    }

    /**
     * The user lists are ordered by tenant and hold every test's users in a shared database, so the one the list must
     * show could be past the first page: the lists are narrowed to the client tenant that holds it.
     */
    private static String usersOf(Bindings bindings) {
        return "?tenantId=" + bindings.client();
    }

    private HttpResponse<String> call(RouteRow row, Caller caller, String path, Bindings bindings) {
        if (row.isStream()) {
            return caller.browser().peekStream(path);
        }
        if (row.isApi()) {
            // Deleting a server takes its name as the confirmation, in the query as DELETE has no body.
            String route = row.method() + " " + row.path();
            // Deleting a site also removes the DNS records the panel made for it, when asked.
            String query = route.equals("DELETE /api/v1/servers/{server}") ? "?confirmName=" + bindings.server().name()
                    : route.equals("DELETE /api/v1/sites/{site}") ? "?confirm=" + bindings.sites().domain() + "&removeDnsRecords=true"
                    : route.equals("DELETE /api/v1/dns/zones/{zone}") ? "?confirm=" + bindings.dns().zoneName()
                    : route.equals("GET /api/v1/users") ? usersOf(bindings) : "";
            if (route.equals("POST /api/v1/sites/{site}/deployments/archive")) {
                return caller.api().postFile(path, "archive", "site.tar.gz", GZIP_ARCHIVE);
            }
            return caller.api().send(row.method(), path + query, jsonBody(row, bindings, caller));
        }
        if (row.method().equals("GET")) {
            return caller.browser().get(row.path().equals("/users") ? path + usersOf(bindings) : path);
        }
        assertThat(row.method()).as("the pages only take GET and POST").isEqualTo("POST");
        if (row.path().equals("/sites/{site}/deploy-archive")) {
            return caller.browser().postFile(path, "archive", "site.tar.gz", GZIP_ARCHIVE);
        }
        return caller.browser().postForm(path, formBody(row, caller, bindings));
    }

    /** Valid form input for the page routes that take some, so that an allowed call really succeeds. */
    private Map<String, String> formBody(RouteRow row, Caller caller, Bindings bindings) {
        int n = serial.incrementAndGet();
        String route = row.method() + " " + row.path() + (row.variant() == null ? "" : " (" + row.variant() + ")");
        return switch (route) {
            case "POST /tenants" -> Map.of("name", "Matrix client " + n, "kind", "client", "parentId", bindings.reseller());
            case "POST /tenants/{client}" -> Map.of("name", "Matrix renamed " + n, "maxServers", "10", "maxSites", "20", "maxMailboxes", "30",
                    "maxUsers", "1000");
            case "POST /tenants/{client}/require-2fa" -> Map.of("required", "false");
            // Setting the role the admin already has: allowed calls succeed without changing who may do what.
            case "POST /users/{staffUser}/role" -> Map.of("role", "admin");
            case "POST /profile/tokens" -> Map.of("name", "Matrix token " + n);
            case "POST /servers" -> Map.ofEntries(Map.entry("provider", "custom"), Map.entry("name", "matrix-new-" + n + "-" + ownServer.name()),
                    Map.entry("image", "DEBIAN_12"), Map.entry("database", "none"), Map.entry("address", "192.0.2." + (n % 250 + 1)),
                    Map.entry("sshPort", "22"), Map.entry("sshUser", "root"), Map.entry("authMethod", "password"),
                    Map.entry("password", "a bootstrap password"));
            case "POST /servers/{server}/resize" -> Map.of("size", "cx32");
            case "POST /servers/{server}/services/restart" -> Map.of("service", "nginx");
            case "POST /servers/{server}/php" -> Map.of("phpVersions", "8.2", "phpDefaultVersion", "8.3");
            case "POST /servers/{server}/ssh-keys" -> Map.of("name", "Matrix key " + n, "publicKey", ServerFixtures.newPublicKey());
            case "POST /servers/{server}/firewall" -> Map.of("port", Integer.toString(20_000 + n), "protocol", "tcp", "source", "any");
            case "POST /servers/{server}/delete" -> Map.of("confirmName", bindings.server().name());
            case "POST /sites" -> Map.of("serverId", wizardServers.get(caller.role()).id(), "type", "static",
                    "domain", "matrix-" + n + "-" + Ids.randomToken(6).toLowerCase(Locale.ROOT).replace('_', 'x') + ".example.test", "keepReleases", "5");
            case "POST /sites/{site}/settings" -> Map.ofEntries(Map.entry("aliases", ""), Map.entry("webRoot", "public"),
                    Map.entry("phpVersion", "8.3"), Map.entry("repositoryUrl", "https://example.test/matrix.git"), Map.entry("branch", "main"),
                    Map.entry("deployScript", "php artisan migrate --force"), Map.entry("sharedPaths", ".env"), Map.entry("keepReleases", "5"),
                    Map.entry("nginxCustom", ""));
            case "POST /sites/{site}/waf" -> Map.of("mode", "detect");
            case "POST /sites/{site}/delete" -> Map.of("confirm", siteDomain(bindings.sites().site()), "removeDnsRecords", "true");
            case "POST /sites/{site}/environment" -> Map.of("dotenv", "APP_NAME=matrix\nAPP_KEY=base64:matrix\n", "apply", "write");
            case "POST /sites/{site}/databases" -> Map.of("name", "matrix_" + n + "_" + Ids.randomToken(6).toLowerCase(Locale.ROOT).replace('-', '_'));
            case "POST /sites/{site}/cron" -> Map.of("expression", "*/10 * * * *", "command", "php artisan matrix:" + n);
            case "POST /sites/{site}/workers" -> Map.of("name", "matrix " + n, "command", "php artisan queue:work", "processes", "1");
            case "POST /providers" -> Map.of("kind", "hetzner", "name", "Matrix provider " + n, "token", "m".repeat(40));
            case "POST /users" -> Map.of("email", "matrix-" + n + "-" + fixture.client1.id() + "@example.test", "displayName", "Matrix invitee " + n,
                    "tenantId", bindings.client());
            case "POST /users (staff into {platform})" -> Map.of("email", "matrix-staff-" + n + "-" + fixture.client1.id() + "@example.test",
                    "displayName", "Matrix staff " + n, "tenantId", bindings.platform(), "role", "admin");
            case "POST /dns/zones" -> Map.of("accountId", bindings.dns().hostAccount(), "name", newZoneName(n), "zoneFile", "");
            case "POST /dns/zones/{zone}/records" -> Map.of("name", "m" + n, "type", "A", "ttl", "3600", "content", "192.0.2." + (n % 250 + 1));
            case "POST /dns/zones/{zone}/records/{record}" -> Map.of("name", "www", "type", "A", "ttl", "3600",
                    "content", "203.0.113." + (n % 250 + 1));
            case "POST /dns/zones/{zone}/import" -> Map.of("zoneFile", zoneFile(bindings, n));
            case "POST /dns/zones/{zone}/dnssec" -> Map.of("enabled", "true");
            case "POST /dns/zones/{zone}/drift/resolve" -> Map.of("name", bindings.dns().recordName(), "type", "A", "keep", "panel");
            case "POST /dns/zones/{zone}/delete" -> Map.of("confirm", bindings.dns().zoneName());
            case "POST /dns/accounts" -> Map.of("kind", "cloudflare", "name", "Matrix DNS " + n, "apiToken", "m".repeat(40));
            case "POST /dns/accounts (kind powerdns)" -> Map.of("kind", "powerdns", "name", "Matrix PowerDNS " + n,
                    "apiUrl", "http://127.0.0.1:9", "apiKey", "matrix-pdns-key", "serverId", "localhost",
                    "nameservers", "ns1.example.net\nns2.example.net");
            default -> Map.of();
        };
    }

    /** Valid JSON for the API routes that take a body. */
    private @Nullable String jsonBody(RouteRow row, Bindings bindings, Caller caller) {
        int n = serial.incrementAndGet();
        return switch (row.method() + " " + row.path() + (row.variant() == null ? "" : " (" + row.variant() + ")")) {
            case "POST /api/v1/tenants" -> """
                    {"parentId": "%s", "kind": "client", "name": "Matrix API client %d"}""".formatted(bindings.reseller(), n);
            case "PATCH /api/v1/tenants/{client}" -> """
                    {"name": "Matrix API renamed %d", "limits": {"maxServers": 10, "maxSites": 20, "maxMailboxes": 30, "maxUsers": 1000}}"""
                    .formatted(n);
            case "POST /api/v1/users/{staffUser}/role" -> """
                    {"role": "admin"}""";
            case "POST /api/v1/users" -> """
                    {"tenantId": "%s", "email": "matrix-api-%d-%s@example.test", "displayName": "Matrix API invitee %d"}"""
                    .formatted(bindings.client(), n, fixture.client1.id(), n);
            case "POST /api/v1/servers" -> """
                    {"provider": "custom", "name": "matrix-api-%d-%s", "image": "DEBIAN_12", "database": "none", "address": "192.0.2.%d",
                     "sshPort": 22, "sshUser": "root", "authMethod": "password", "password": "a bootstrap password"}"""
                    .formatted(n, ownServer.name(), n % 250 + 1);
            case "POST /api/v1/provider-accounts" -> """
                    {"kind": "hetzner", "name": "Matrix API provider %d", "token": "%s"}""".formatted(n, "m".repeat(40));
            case "POST /api/v1/servers/{server}/actions/resize" -> """
                    {"size": "cx32"}""";
            case "POST /api/v1/servers/{server}/actions/restart-service" -> """
                    {"service": "nginx"}""";
            case "POST /api/v1/servers/{server}/actions/php" -> """
                    {"versions": ["8.2"], "defaultVersion": "8.3"}""";
            case "POST /api/v1/servers/{server}/ssh-keys" -> """
                    {"name": "Matrix API key %d", "publicKey": "%s"}""".formatted(n, ServerFixtures.newPublicKey());
            case "POST /api/v1/servers/{server}/firewall-rules" -> """
                    {"port": "%d", "protocol": "tcp", "source": "any"}""".formatted(30_000 + n);
            case "POST /api/v1/sites" -> """
                    {"serverId": "%s", "type": "static", "domain": "matrix-new-%d-%s.example.test"}"""
                    .formatted(wizardServers.get(caller.role()).id(), n, ownServer.name());
            case "PATCH /api/v1/sites/{site}" -> """
                    {"keepReleases": 4}""";
            case "PUT /api/v1/ssl/acme-accounts" -> """
                    {"contactEmail": "ops@example.com", "acceptTerms": true}""";
            case "PUT /api/v1/sites/{site}/certificate" -> """
                    {"certificate": "", "privateKey": ""}""";
            case "PUT /api/v1/sites/{site}/waf" -> """
                    {"mode": "detect"}""";
            case "PUT /api/v1/sites/{site}/env" -> """
                    {"dotenv": "APP_NAME=matrix\\nAPP_KEY=base64:matrix\\n", "apply": "write"}""";
            case "POST /api/v1/sites/{site}/databases" -> """
                    {"name": "matrix_%d_%s"}""".formatted(n, Ids.randomToken(6));
            case "POST /api/v1/sites/{site}/cron-jobs" -> """
                    {"expression": "*/10 * * * *", "command": "php artisan matrix:%d"}""".formatted(n);
            case "POST /api/v1/sites/{site}/workers" -> """
                    {"name": "matrix %d", "command": "php artisan queue:work", "processes": 1}""".formatted(n);
            case "POST /api/v1/dns/accounts" -> """
                    {"kind": "cloudflare", "name": "Matrix API DNS %d", "apiToken": "%s"}""".formatted(n, "m".repeat(40));
            case "POST /api/v1/dns/accounts (kind powerdns)" -> """
                    {"kind": "powerdns", "name": "Matrix API PowerDNS %d", "apiUrl": "http://127.0.0.1:9", "apiKey": "matrix-pdns-key",
                     "serverId": "localhost", "nameservers": ["ns1.example.net", "ns2.example.net"]}""".formatted(n);
            case "POST /api/v1/dns/zones" -> """
                    {"accountId": "%s", "name": "%s"}""".formatted(bindings.dns().hostAccount(), newZoneName(n));
            case "POST /api/v1/dns/zones/{zone}/records" -> """
                    {"name": "m%d", "type": "A", "ttl": 3600, "content": "192.0.2.%d"}""".formatted(n, n % 250 + 1);
            case "PUT /api/v1/dns/zones/{zone}/records/{record}" -> """
                    {"name": "www", "type": "A", "ttl": 3600, "content": "203.0.113.%d"}""".formatted(n % 250 + 1);
            case "POST /api/v1/dns/zones/{zone}/import" -> """
                    {"zoneFile": "%s"}""".formatted(zoneFile(bindings, n).replace("\n", "\\n"));
            case "POST /api/v1/dns/zones/{zone}/dnssec" -> """
                    {"enabled": true}""";
            case "POST /api/v1/dns/zones/{zone}/drift/resolve" -> """
                    {"name": "%s", "type": "A", "keep": "panel"}""".formatted(bindings.dns().recordName());
            default -> null;
        };
    }

    /** A zone name no call has used yet, under the first subtree's tag. */
    private String newZoneName(int n) {
        return "matrix-new-" + n + "-" + ownDns.zoneName();
    }

    /** A BIND zone file with one record set of its own. */
    private static String zoneFile(Bindings bindings, int n) {
        return "$ORIGIN " + bindings.dns().zoneName() + ".\n$TTL 3600\nimport" + n + " IN A 192.0.2." + (n % 250 + 1) + "\n";
    }

    /** A gzip stream of a few bytes: what the archive route checks before it queues the deployment. */
    private static final byte[] GZIP_ARCHIVE = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
        return response.statusCode() + response.headers().firstValue("Location").map(l -> " → " + l).orElse("") + " "
                + body.substring(0, Math.min(300, body.length()));
    }

    // --- the document

    private static final Pattern ROUTE = Pattern.compile("(GET|POST|PUT|PATCH|DELETE) (/\\S*)(?: \\((.+)\\))?");

    static List<RouteRow> readRoutes(Path document) {
        List<String> lines;
        try {
            lines = Files.readAllLines(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permission matrix " + document.toAbsolutePath(), e);
        }
        int start = lines.indexOf("## Routes");
        assertThat(start).as("a '## Routes' section in %s", document).isNotNegative();
        List<String> table = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        assertThat(table).as("the Routes table: a header, a separator and rows").hasSizeGreaterThan(2);
        List<String> header = cells(table.get(0));
        assertThat(header).as("header of the Routes table").containsExactly("route", "superadmin", "admin", "reseller", "client");
        List<RouteRow> rows = new ArrayList<>();
        for (String line : table.subList(2, table.size())) {
            List<String> cells = cells(line);
            assertThat(cells).as("cells of [%s]", line).hasSize(5);
            String cell = cells.get(0).replace("`", "").strip();
            Matcher route = ROUTE.matcher(cell);
            assertThat(route.matches()).as("route cell [%s] reads 'METHOD /path' with an optional '(note)'", cell).isTrue();
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            for (int i = 0; i < ROLES.size(); i++) {
                String value = cells.get(i + 1).toLowerCase(Locale.ROOT).replace("*", "").strip();
                assertThat(value).as("cell for %s in [%s]", ROLES.get(i), line).isIn("allow", "deny");
                allowed.put(ROLES.get(i), value.equals("allow"));
            }
            rows.add(new RouteRow(cell, route.group(1), route.group(2), route.group(3), Collections.unmodifiableMap(allowed)));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        return Stream.of(inner.split("\\|", -1)).map(String::strip).toList();
    }

    // --- the database, read and set directly (as the system, which sees every tenant, through the panel's own pool)

    /** Every tenant, user and job with what a privileged action could change. */
    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> state = new LinkedHashMap<>();
        state.put("tenants", query("SELECT id, parent_id, kind, name, status, require_2fa, max_servers, max_sites, max_mailboxes, max_users "
                + "FROM tenants ORDER BY id"));
        state.put("users", query("SELECT id, tenant_id, email, display_name, role, status, password_hash FROM users ORDER BY id"));
        state.put("jobs", query("SELECT id, tenant_id, status, cancel_requested, rerun_of FROM jobs ORDER BY id"));
        state.put("servers", query("SELECT id, tenant_id, name, status, last_job_id FROM servers ORDER BY id"));
        state.put("provider_accounts", query("SELECT id, name, last_checked_at FROM provider_accounts ORDER BY id"));
        state.put("server_ssh_keys", query("SELECT id, status FROM server_ssh_keys ORDER BY id"));
        state.put("firewall_rules", query("SELECT id, status FROM firewall_rules ORDER BY id"));
        state.put("sites", query("SELECT id, tenant_id, status, keep_releases, waf, last_job_id, environment FROM sites ORDER BY id"));
        state.put("site_deployments", query("SELECT id, status FROM site_deployments ORDER BY id"));
        state.put("site_databases", query("SELECT id, status, password FROM site_databases ORDER BY id"));
        state.put("site_cron_jobs", query("SELECT id, status FROM site_cron_jobs ORDER BY id"));
        state.put("site_workers", query("SELECT id, status FROM site_workers ORDER BY id"));
        state.put("dns_accounts", query("SELECT id, name, last_checked_at, last_check_ok FROM dns_accounts ORDER BY id"));
        state.put("dns_zones", query("SELECT id, tenant_id, name, status, dnssec, CAST(drift AS text) AS drift, last_job_id FROM dns_zones ORDER BY id"));
        state.put("dns_records", query("SELECT id, zone_id, name, type, ttl, content FROM dns_records ORDER BY id"));
        state.put("dns_pending_sets", query("SELECT zone_id, name, type FROM dns_pending_sets ORDER BY zone_id, name, type"));
        return state;
    }

    private String siteDomain(String siteId) {
        return String.valueOf(query("SELECT domain FROM sites WHERE id = ?", siteId).getFirst().get("domain"));
    }

    private Map<String, Object> tenantRow(String id) {
        List<Map<String, Object>> found = query("SELECT * FROM tenants WHERE id = ?", id);
        assertThat(found).as("tenant %s", id).hasSize(1);
        return found.get(0);
    }

    private Object userStatus(String id) {
        return query("SELECT status FROM users WHERE id = ?", id).get(0).get("status");
    }

    private long count(String sql, Object... params) {
        return ((Number) query(sql, params).get(0).get("count")).longValue();
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        return system.call(() -> jdbc.sql(sql).params(params).query().listOfRows());
    }

    private void update(String sql, Object... params) {
        system.run(() -> jdbc.sql(sql).params(params).update());
    }
}
