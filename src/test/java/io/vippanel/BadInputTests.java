package io.vippanel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.vippanel.identity.Accounts;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.jobs.TestJobTypes;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.Totp;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile and broken input on every form and API endpoint that takes some. Each case must be refused with a 4xx
 * (never a 5xx), must not leak internals (stack traces, class names, SQL), must not echo script unescaped, must
 * answer the API in problem JSON, and must leave tenants, users, tokens and sessions exactly as they were.
 *
 * <p>Two kinds of input are not "bad" and are checked for what they should do instead: free text that is merely
 * hostile-looking (a tenant called {@code <script>…} or {@code O'Brien}) is valid, stored verbatim and escaped on
 * every page; and search filters with such text simply match nothing.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTests {

    static final String EMPTY = "";
    static final String LONG = "a".repeat(10_000);
    /** URLs are capped at 8 KB by the HTTP server; ids and filters in URLs are "too long" far below that. */
    static final String LONG_IN_URL = "a".repeat(2_000);
    static final String SCRIPT = "<script>alert(1)</script>";
    /** Script that survives a path segment (no slash), for pages that echo an id from the URL. */
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String SQL = "' OR 1=1 --";
    static final String EMOJI = "😀🔥";
    static final String RTL = "\u202Eexe.txt";
    static final String NUL = "a\u0000b";
    static final String UNKNOWN_TENANT = "ten_zzzzzzzzzzzzzzzzzzzz";
    static final String UNKNOWN_USER = "usr_zzzzzzzzzzzzzzzzzzzz";
    static final String UNKNOWN_JOB = "job_zzzzzzzzzzzzzzzzzzzz";
    /** An IDN address under 254 characters as typed that grows past 254 once the domain is converted to ASCII. */
    static final String IDN_TOO_LONG = "a".repeat(64) + "@" + String.join(".", Collections.nCopies(4, "漢字仮名交じり文東京大阪京都")) + ".test";

    static final Set<Integer> INVALID = Set.of(422);
    static final Set<Integer> NOT_FOUND = Set.of(404);
    static final Set<Integer> REFUSED = Set.of(403, 404);
    static final Set<Integer> MALFORMED = Set.of(400);
    static final Set<Integer> MALFORMED_OR_INVALID = Set.of(400, 422);
    static final Set<Integer> NOT_FOUND_OR_MALFORMED = Set.of(400, 404);
    static final Set<Integer> UNAUTHORIZED = Set.of(401);
    static final Set<Integer> REFUSED_OR_INVALID = Set.of(403, 404, 422);

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    /** What must never reach a caller: stack traces, exception class names, SQL or driver text, Java packages. */
    private static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\b\\w+Exception\\b"), Pattern.compile("\\bjava\\."), Pattern.compile("\\bjavax?\\.|\\bjakarta\\."),
            Pattern.compile("org\\.springframework"), Pattern.compile("org\\.postgresql"), Pattern.compile("\\bSQL\\b|PSQL|SQLSTATE|SQLState"),
            Pattern.compile("\\bat [a-z]+\\.[a-z]+\\.[\\w.$]+\\("), Pattern.compile("Caused by"), Pattern.compile("io\\.vippanel"));

    /**
     * Random values on a page (the CSRF token in forms and HTMX headers, base64 data URIs such as the 2FA QR code)
     * can spell anything, "SQL" included; they are blanked before the page is searched for internals.
     */
    private static final List<Pattern> RANDOM = List.of(Pattern.compile("(?<=name=\"_csrf\" value=\")[^\"]+"),
            Pattern.compile("(?<=X-CSRF-TOKEN&#34;: &#34;)[^&]+"), Pattern.compile("(?<=X-CSRF-TOKEN\": \")[^\"]+"),
            Pattern.compile("data:[^\"'\\s)]+"));

    /** Encoded slash, backslash or NUL in a path (the case names carry the raw path, before any query). */
    private static final Pattern REFUSED_BY_SERVER = Pattern.compile("(?i)%(2f|5c|00)");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Fixture fixture;
    PanelClient reseller;
    String resellerToken;
    String superToken;
    String adminSessionId;
    String otherUsersTokenId;
    /** Jobs of the reseller's client: one waiting in the queue (this context runs no jobs), one that has succeeded. */
    String queuedJob;
    String finishedJob;
    /** A job of the sibling reseller's client, out of the reseller's reach. */
    String foreignJob;
    /** A ready custom server of the reseller's client, a provider account of that client, and one of the sibling's client. */
    Server server;
    String ownAccount;
    String foreignAccount;
    /** A ready server of the reseller's own tenant, where the reseller may create sites. */
    Server resellerServer;
    /** The name of a server of the reseller's own tenant, which a second server there cannot take. */
    String takenName;
    SystemTransactions system;
    JdbcClient jdbc;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final AtomicInteger serial = new AtomicInteger();

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
        system = context.getBean(SystemTransactions.class);
        jdbc = JdbcClient.create(context.getBean(DataSource.class));
        reseller = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        resellerToken = fixture.tokenOf(fixture.reseller1User);
        superToken = fixture.tokenOf(fixture.superadmin);
        // reseller2User signs in with a second factor, so that the code step can be fed bad codes.
        Accounts accounts = context.getBean(Accounts.class);
        Totp totp = context.getBean(Totp.class);
        Accounts.Enrolment enrolment = accounts.beginEnrolment(fixture.reseller2User);
        accounts.confirmEnrolment(fixture.reseller2User, enrolment.secret(), totp.codeAt(enrolment.secret(), Instant.now()));
        // Another user's session and token, which the reseller must not be able to revoke.
        PanelClient.browser(port).login(fixture.admin.email(), Fixture.PASSWORD);
        adminSessionId = (String) query("SELECT id FROM user_sessions WHERE user_id = ? AND revoked_at IS NULL", fixture.admin.userId()).get(0).get("id");
        fixture.tokenOf(fixture.client2User);
        otherUsersTokenId = (String) query("SELECT id FROM api_tokens WHERE user_id = ?", fixture.client2User.userId()).get(0).get("id");
        Jobs jobs = context.getBean(Jobs.class);
        queuedJob = system.call(() -> jobs.enqueue(NewJob.of(fixture.client1.id(), TestJobTypes.STEPS, "Bad input job", fixture.client1User))).id();
        finishedJob = system.call(() -> jobs.enqueue(NewJob.of(fixture.client1.id(), TestJobTypes.STEPS, "Bad input done", fixture.client1User))).id();
        system.run(() -> jdbc.sql("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE id = ?").params(finishedJob).update());
        foreignJob = system.call(() -> jobs.enqueue(NewJob.of(fixture.client2.id(), TestJobTypes.STEPS, "Foreign job", fixture.client2User))).id();
        ServerFixtures servers = new ServerFixtures(context);
        String tag = fixture.client1.id().substring(4, 10).toLowerCase(Locale.ROOT);
        server = servers.readyServer(fixture.client1User, "bad-input-" + tag, "198.51.100.30");
        ownAccount = servers.providerAccount(fixture.client1, "Bad input account " + tag);
        resellerServer = servers.readyServer(fixture.reseller1User, "taken-" + tag, "198.51.100.31");
        takenName = resellerServer.name();
        foreignAccount = servers.providerAccount(fixture.client2, "Foreign account " + tag);
    }

    // ------------------------------------------------------------------ public pages

    @TestFactory
    Stream<DynamicTest> publicFormsRefuseBadInput() {
        List<DynamicTest> cases = new ArrayList<>();
        Map<String, String> payloads = payloads();

        // Sign-in: unknown or malformed addresses, and hostile passwords for a real account, are a plain 401.
        payloads.forEach((label, value) -> cases.add(page("POST /login with email " + label, UNAUTHORIZED, () -> {
            Anonymous browser = anonymous();
            return browser.post("/login", Map.of("email", value, "password", "whatever it is 1"));
        })));
        for (String value : List.of(EMPTY, LONG, SCRIPT, SQL, EMOJI, RTL, NUL)) {
            cases.add(page("POST /login with a real email and password " + label(value), UNAUTHORIZED, () -> {
                Anonymous browser = anonymous();
                return browser.post("/login", Map.of("email", fixture.client2User.email(), "password", value));
            }));
        }
        cases.add(page("POST /login without fields", UNAUTHORIZED, () -> anonymous().post("/login", Map.of())));

        // The code step after a correct password: every bad code is a 401 and the sign-in stays pending.
        for (String value : List.of(EMPTY, "000000", "12345", "1234567", "abcdef", LONG, SCRIPT, SQL, EMOJI, RTL, NUL, "１２３４５６")) {
            cases.add(page("POST /login/2fa with code " + label(value), UNAUTHORIZED, () -> {
                resetFailures(fixture.reseller2User.userId());
                Anonymous browser = anonymous();
                HttpResponse<String> first = browser.post("/login", Map.of("email", fixture.reseller2User.email(), "password", Fixture.PASSWORD));
                assertThat(first.headers().firstValue("Location")).as("password step of the 2FA user").hasValueSatisfying(l -> assertThat(l).endsWith("/login/2fa"));
                return browser.post("/login/2fa", Map.of("code", value));
            }));
        }

        // Single-use links with made-up tokens: the page says the link is gone (410), the form refuses (422).
        for (String link : List.of("setup", "invite", "reset")) {
            for (String token : List.of("zzzz", UNKNOWN_USER, SQL, IMG, EMOJI, NUL, LONG_IN_URL)) {
                // An encoded NUL in a path is refused by the HTTP server (Tomcat) before any page sees it.
                boolean nul = token.contains("\u0000");
                cases.add(page("GET /" + link + "/" + label(token), nul ? Set.of(400, 410) : Set.of(410),
                        () -> anonymous().get("/" + link + "/" + segment(token))));
                Map<String, String> form = link.equals("setup")
                        ? Map.of("email", "new-admin@example.test", "displayName", "New admin", "password", "A long enough password 1!")
                        : Map.of("password", "A long enough password 1!");
                cases.add(page("POST /" + link + "/" + label(token), nul ? MALFORMED_OR_INVALID : INVALID,
                        () -> anonymous().post("/" + link + "/" + segment(token), form)));
            }
            for (String traversal : traversals()) {
                cases.add(page("GET /" + link + "/" + traversal, Set.of(400, 404, 410), () -> anonymous().get("/" + link + "/" + traversal)));
            }
            payloads.forEach((label, value) -> cases.add(page("POST /" + link + "/<bogus> with password " + label, INVALID,
                    () -> anonymous().post("/" + link + "/" + "bogus-token", Map.of("password", value, "email", value, "displayName", value)))));
        }
        return run(cases);
    }

    /**
     * "Forgot password" answers the same for every address, known or not, well-formed or not, so that it cannot be
     * used to find accounts; bad input must still not break it, leak, echo script, or create a reset link.
     */
    @TestFactory
    Stream<DynamicTest> forgotPasswordAnswersTheSameForAnyInput() {
        List<DynamicTest> cases = new ArrayList<>();
        payloads().forEach((label, value) -> cases.add(page("POST /forgot with email " + label, Set.of(200), () -> {
            Anonymous browser = anonymous();
            HttpResponse<String> response = browser.post("/forgot", Map.of("email", value));
            assertThat(response.body()).contains("If an active account uses that address");
            return response;
        })));
        return run(cases);
    }

    // ------------------------------------------------------------------ signed-in pages

    @TestFactory
    Stream<DynamicTest> signedInFormsRefuseBadInput() {
        List<DynamicTest> cases = new ArrayList<>();
        String parent = fixture.reseller1.id();
        String client = fixture.client1.id();

        // Create a tenant.
        for (String name : List.of(EMPTY, "   ", LONG, NUL, RTL, "tab\there\u0007")) {
            cases.add(page("POST /tenants with name " + label(name), INVALID,
                    () -> reseller.postForm("/tenants", Map.of("name", name, "kind", "client", "parentId", parent))));
        }
        for (String kind : List.of(EMPTY, SCRIPT, SQL, "platform", "superadmin", NUL, LONG, EMOJI)) {
            // The name is valid but script: it comes back in the re-rendered form and must be escaped there.
            cases.add(page("POST /tenants with kind " + label(kind), INVALID,
                    () -> reseller.postForm("/tenants", Map.of("name", SCRIPT, "kind", kind, "parentId", parent))));
        }
        cases.add(page("POST /tenants with an empty parent", INVALID, () -> reseller.postForm("/tenants", Map.of("name", "x", "kind", "client", "parentId", ""))));
        for (String parentId : foreignTenantIds()) {
            cases.add(page("POST /tenants under " + label(parentId), REFUSED,
                    () -> reseller.postForm("/tenants", Map.of("name", "Bad parent " + serial.incrementAndGet(), "kind", "client", "parentId", parentId))));
        }
        cases.add(page("POST /tenants: a client under a client", INVALID,
                () -> reseller.postForm("/tenants", Map.of("name", "Client under client", "kind", "client", "parentId", client))));
        cases.add(page("POST /tenants: a reseller under a reseller", REFUSED_OR_INVALID,
                () -> reseller.postForm("/tenants", Map.of("name", "Reseller under reseller", "kind", "reseller", "parentId", parent))));
        for (String limit : badLimits()) {
            cases.add(page("POST /tenants with maxUsers " + label(limit), INVALID,
                    () -> reseller.postForm("/tenants", Map.of("name", "Bad limit", "kind", "client", "parentId", parent, "maxUsers", limit))));
        }
        cases.add(page("POST /tenants without any field", INVALID, () -> reseller.postForm("/tenants", Map.of())));

        // Edit a tenant.
        for (String name : List.of(EMPTY, LONG, NUL, RTL)) {
            cases.add(page("POST /tenants/{client} with name " + label(name), INVALID, () -> reseller.postForm("/tenants/" + client, Map.of("name", name))));
        }
        for (String limit : badLimits()) {
            cases.add(page("POST /tenants/{client} with maxSites " + label(limit), INVALID,
                    () -> reseller.postForm("/tenants/" + client, Map.of("name", fixture.client1.name(), "maxSites", limit))));
        }
        for (String id : badTenantIdsInPaths()) {
            cases.add(page("GET /tenants/" + label(id), expectedForTenantPath(id), () -> reseller.get("/tenants/" + pathId(id))));
            cases.add(page("POST /tenants/" + label(id), expectedForTenantPath(id),
                    () -> reseller.postForm("/tenants/" + pathId(id), Map.of("name", "Renamed " + serial.incrementAndGet()))));
            for (String action : List.of("suspend", "resume", "require-2fa")) {
                cases.add(page("POST /tenants/" + label(id) + "/" + action, expectedForTenantPath(id),
                        () -> reseller.postForm("/tenants/" + pathId(id) + "/" + action, Map.of("required", "true"))));
            }
        }
        // The reseller's own tenant: visible, but its name, limits and status are not the reseller's to change.
        String own = fixture.reseller1.id();
        cases.add(page("POST /tenants/{own}", REFUSED, () -> reseller.postForm("/tenants/" + own, Map.of("name", "Raised by myself"))));
        cases.add(page("POST /tenants/{own} with higher limits", REFUSED,
                () -> reseller.postForm("/tenants/" + own, Map.of("name", fixture.reseller1.name(), "maxUsers", "1000000"))));
        for (String action : List.of("suspend", "resume")) {
            cases.add(page("POST /tenants/{own}/" + action, REFUSED, () -> reseller.postForm("/tenants/" + own + "/" + action, Map.of())));
        }
        for (String required : List.of("maybe", SCRIPT, NUL, LONG)) {
            cases.add(page("POST /tenants/{client}/require-2fa with required " + label(required), MALFORMED,
                    () -> reseller.postForm("/tenants/" + client + "/require-2fa", Map.of("required", required))));
        }
        cases.add(page("GET /tenants?offset=abc", MALFORMED, () -> reseller.get("/tenants?offset=abc")));
        cases.add(page("GET /tenants?offset=99999999999", MALFORMED, () -> reseller.get("/tenants?offset=99999999999")));

        // Invite a user.
        for (String email : badEmails()) {
            cases.add(page("POST /users with email " + label(email), INVALID,
                    () -> reseller.postForm("/users", Map.of("email", email, "displayName", "Invitee", "tenantId", client))));
        }
        for (String name : List.of(EMPTY, LONG, NUL, RTL)) {
            cases.add(page("POST /users with displayName " + label(name), INVALID,
                    () -> reseller.postForm("/users", Map.of("email", freshEmail(), "displayName", name, "tenantId", client))));
        }
        for (String tenantId : foreignTenantIds()) {
            cases.add(page("POST /users into " + label(tenantId), REFUSED,
                    () -> reseller.postForm("/users", Map.of("email", freshEmail(), "displayName", "Invitee", "tenantId", tenantId))));
        }
        for (String role : List.of("root", SCRIPT, SQL, "superadmin", "admin", "reseller", NUL, LONG)) {
            cases.add(page("POST /users with role " + label(role), INVALID,
                    () -> reseller.postForm("/users", Map.of("email", freshEmail(), "displayName", "Invitee", "tenantId", client, "role", role))));
        }
        cases.add(page("POST /users without any field", INVALID, () -> reseller.postForm("/users", Map.of())));
        cases.add(page("POST /users with the email of an existing user", INVALID,
                () -> reseller.postForm("/users", Map.of("email", fixture.client2Other.email(), "displayName", "Twin", "tenantId", client))));
        cases.add(page("POST /users with the email of an existing user in other case", INVALID,
                () -> reseller.postForm("/users", Map.of("email", fixture.client2Other.email().toUpperCase(Locale.ROOT),
                        "displayName", "Twin", "tenantId", client))));

        // Disable and enable users.
        for (String id : badUserIdsInPaths()) {
            for (String action : List.of("disable", "enable")) {
                cases.add(page("POST /users/" + label(id) + "/" + action, expectedForUserPath(id),
                        () -> reseller.postForm("/users/" + pathId(id) + "/" + action, Map.of())));
            }
        }
        cases.add(page("POST /users/{self}/disable", INVALID, () -> reseller.postForm("/users/" + fixture.reseller1User.userId() + "/disable", Map.of())));
        cases.add(page("POST /users/{active user}/enable", INVALID, () -> reseller.postForm("/users/" + fixture.client1Other.userId() + "/enable", Map.of())));

        // Profile: password.
        payloads().forEach((label, value) -> cases.add(page("POST /profile/password with a wrong current password " + label, INVALID,
                () -> reseller.postForm("/profile/password", Map.of("password", value, "newPassword", "A perfectly fine new one 7")))));
        for (String replacement : List.of(EMPTY, "short", LONG, fixture.reseller1User.email() + "-secret")) {
            cases.add(page("POST /profile/password with new password " + label(replacement), INVALID,
                    () -> reseller.postForm("/profile/password", Map.of("password", Fixture.PASSWORD, "newPassword", replacement))));
        }

        // Profile: API tokens.
        for (String name : List.of(EMPTY, LONG, NUL, RTL, "x".repeat(81))) {
            cases.add(page("POST /profile/tokens with name " + label(name), INVALID, () -> reseller.postForm("/profile/tokens", Map.of("name", name))));
        }
        for (String date : List.of("tomorrow", SCRIPT, SQL, EMOJI, NUL, LONG, "2020-01-01", "2026-02-30", "31/12/2030", "+999999999-12-31",
                "-999999999-01-01", "99999-01-01")) {
            cases.add(page("POST /profile/tokens expiring " + label(date), INVALID,
                    () -> reseller.postForm("/profile/tokens", Map.of("name", "Bad expiry", "expiresOn", date))));
        }
        for (String id : List.of("tok_zzzzzzzzzzzzzzzzzzzz", otherUsersTokenId, SQL, IMG, EMOJI, LONG_IN_URL)) {
            cases.add(page("POST /profile/tokens/" + label(id) + "/revoke", NOT_FOUND_OR_MALFORMED,
                    () -> reseller.postForm("/profile/tokens/" + segment(id) + "/revoke", Map.of())));
        }
        for (String id : List.of("ses_zzzzzzzzzzzzzzzzzzzz", adminSessionId, SQL, IMG, EMOJI, LONG_IN_URL)) {
            cases.add(page("POST /profile/sessions/" + label(id) + "/revoke", NOT_FOUND_OR_MALFORMED,
                    () -> reseller.postForm("/profile/sessions/" + segment(id) + "/revoke", Map.of())));
        }

        // Profile: two-factor authentication (the reseller has none; enrolment is started, never finished).
        for (String code : List.of(EMPTY, "000000", "12345", "abcdef", LONG, SCRIPT, SQL, EMOJI, NUL)) {
            cases.add(page("POST /profile/2fa with code " + label(code), INVALID, () -> {
                reseller.get("/profile/2fa");
                return reseller.postForm("/profile/2fa", Map.of("code", code));
            }));
        }
        for (String value : List.of(EMPTY, LONG, SCRIPT, SQL, NUL)) {
            cases.add(page("POST /profile/2fa/disable with password " + label(value), INVALID,
                    () -> reseller.postForm("/profile/2fa/disable", Map.of("password", value, "code", value))));
            cases.add(page("POST /profile/2fa/recovery-codes with password " + label(value), INVALID,
                    () -> reseller.postForm("/profile/2fa/recovery-codes", Map.of("password", value))));
        }

        // Audit filters that cannot be read as filters, on the page and in the export.
        for (String page : List.of("/audit", "/audit.csv")) {
            for (Map.Entry<String, String> filter : badAuditFilters().entrySet()) {
                if (page.equals("/audit.csv") && filter.getKey().startsWith("page=")) {
                    continue; // the export has no pages
                }
                cases.add(page("GET " + page + "?" + filter.getKey(), filter.getKey().startsWith("page=") ? MALFORMED : INVALID,
                        () -> reseller.get(page + "?" + filter.getValue())));
            }
        }

        // The tenant switcher.
        for (String tenantId : foreignTenantIds()) {
            cases.add(page("POST /switch-tenant to " + label(tenantId), REFUSED,
                    () -> reseller.postForm("/switch-tenant", Map.of("tenantId", tenantId))));
        }
        cases.add(page("POST /switch-tenant without tenantId", MALFORMED, () -> reseller.postForm("/switch-tenant", Map.of())));
        return run(cases);
    }

    // ------------------------------------------------------------------ servers and provider accounts

    /** Keys the panel must refuse: DSA, RSA below 2048 bits, a private key, garbage, and script. */
    private static List<String> badPublicKeys() {
        return List.of("ssh-dss AAAAB3NzaC1kc3MAAACBAPe2 dsa@old", rsaPublicKey(1024), "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
                + "-----END OPENSSH PRIVATE KEY-----", "ssh-ed25519 !!!not-base64!!!", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG", SCRIPT, NUL);
    }

    /** An OpenSSH public key line of a new RSA key of the given size. */
    private static String rsaPublicKey(int bits) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (byte[] part : List.of("ssh-rsa".getBytes(StandardCharsets.US_ASCII), key.getPublicExponent().toByteArray(),
                    key.getModulus().toByteArray())) {
                out.write(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
                out.write(part);
            }
            return "ssh-rsa " + java.util.Base64.getEncoder().encodeToString(out.toByteArray()) + " small@rsa";
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid custom-server form with one field replaced. */
    private Map<String, String> customServer(String field, String value) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("provider", "custom", "name", "fine-" + serial.incrementAndGet(),
                "image", "UBUNTU_24_04", "database", "mariadb", "phpVersions", "8.3", "address", "192.0.2.77", "sshPort", "22",
                "sshUser", "root", "authMethod", "password", "password", "a bootstrap password"));
        form.put(field, value);
        return form;
    }

    @TestFactory
    Stream<DynamicTest> serverAndProviderFormsRefuseBadInput() {
        List<DynamicTest> cases = new ArrayList<>();
        String base = "/servers/" + server.id();

        // The create wizard, a custom server with one bad answer at a time.
        for (String address : List.of("999.1.1.1", "127.0.0.1", "0.0.0.0", "224.0.0.1", "fe80::1", "example.com", EMPTY, SCRIPT, LONG, NUL)) {
            cases.add(page("POST /servers with address " + label(address), INVALID, () -> reseller.postForm("/servers", customServer("address", address))));
        }
        for (String port : List.of("0", "70000", "22; rm -rf /", "-1", "22.5", SCRIPT, LONG)) {
            cases.add(page("POST /servers with sshPort " + label(port), INVALID, () -> reseller.postForm("/servers", customServer("sshPort", port))));
        }
        for (String name : List.of("-bad", "UPPER_case!", "a".repeat(64), EMPTY, "bad-", "a b", SCRIPT, SQL, EMOJI, NUL, RTL)) {
            cases.add(page("POST /servers with name " + label(name), INVALID, () -> reseller.postForm("/servers", customServer("name", name))));
        }
        cases.add(page("POST /servers with the name of an existing server", INVALID,
                () -> reseller.postForm("/servers", customServer("name", takenName))));
        for (String user : List.of("root; id", "Admin", EMPTY, SCRIPT, "a".repeat(40))) {
            cases.add(page("POST /servers with sshUser " + label(user), INVALID, () -> reseller.postForm("/servers", customServer("sshUser", user))));
        }
        for (String key : badPublicKeys()) {
            cases.add(page("POST /servers with sshKeys " + label(key), INVALID, () -> reseller.postForm("/servers", customServer("sshKeys", key))));
        }
        for (String method : List.of("telnet", EMPTY, SCRIPT)) {
            cases.add(page("POST /servers with authMethod " + label(method), INVALID,
                    () -> reseller.postForm("/servers", customServer("authMethod", method))));
        }
        for (String privateKey : List.of(EMPTY, "not a key", rsaPublicKey(2048), SCRIPT)) {
            cases.add(page("POST /servers with privateKey " + label(privateKey), INVALID, () -> {
                Map<String, String> form = customServer("authMethod", "key");
                form.put("privateKey", privateKey);
                return reseller.postForm("/servers", form);
            }));
        }
        cases.add(page("POST /servers with an empty password", INVALID, () -> reseller.postForm("/servers", customServer("password", EMPTY))));
        for (Map.Entry<String, String> wrong : Map.of("image", "WINDOWS_11", "database", "oracle", "phpVersions", "5.6", "phpDefaultVersion", "8.1")
                .entrySet()) {
            cases.add(page("POST /servers with " + wrong.getKey() + " " + wrong.getValue(), INVALID,
                    () -> reseller.postForm("/servers", customServer(wrong.getKey(), wrong.getValue()))));
        }
        for (String provider : List.of(foreignAccount, "pac_zzzzzzzzzzzzzzzzzzzz", SCRIPT, SQL, EMPTY, LONG)) {
            cases.add(page("POST /servers through provider " + label(provider), INVALID, () -> {
                HttpResponse<String> response = reseller.postForm("/servers", customServer("provider", provider));
                assertThat(response.body()).contains("Choose one of the provider accounts");
                return response;
            }));
        }
        // A region and size that no provider confirms: the provider cannot be asked here, so the answer says so.
        for (String region : List.of("nowhere-1", SCRIPT, EMPTY)) {
            cases.add(page("POST /servers in region " + label(region), Set.of(422, 502, 503), () -> {
                Map<String, String> form = customServer("provider", ownAccount);
                form.put("region", region);
                form.put("size", "cx22");
                return reseller.postForm("/servers", form);
            }));
        }
        cases.add(page("POST /servers without any field", INVALID, () -> reseller.postForm("/servers", Map.of())));
        cases.add(page("GET /servers?q=<too long>", INVALID, () -> reseller.get("/servers?q=" + LONG_IN_URL.substring(0, 101))));
        cases.add(page("GET /servers?page=abc", MALFORMED, () -> reseller.get("/servers?page=abc")));

        // Firewall rules.
        for (String port : List.of("0", "70000", "22; rm -rf /", "1:2:3", "9000:8000", EMPTY, SCRIPT, LONG, "80")) {
            cases.add(page("POST /servers/{server}/firewall with port " + label(port), INVALID,
                    () -> reseller.postForm(base + "/firewall", Map.of("port", port, "protocol", "tcp", "source", "any"))));
        }
        for (String source : List.of("999.1.1.1", "10.0.0.0/33", "example.com", "0.0.0.0/-1", SCRIPT, LONG, NUL)) {
            cases.add(page("POST /servers/{server}/firewall with source " + label(source), INVALID,
                    () -> reseller.postForm(base + "/firewall", Map.of("port", "8443", "protocol", "tcp", "source", source))));
        }
        for (String protocol : List.of("icmp", SCRIPT, NUL)) {
            cases.add(page("POST /servers/{server}/firewall with protocol " + label(protocol), INVALID,
                    () -> reseller.postForm(base + "/firewall", Map.of("port", "8443", "protocol", protocol, "source", "any"))));
        }
        cases.add(page("POST /servers/{server}/firewall with comment " + label(SCRIPT), INVALID,
                () -> reseller.postForm(base + "/firewall", Map.of("port", "8443", "protocol", "tcp", "source", "any", "comment", SCRIPT))));

        // SSH keys, services, PHP, resize, delete.
        for (String key : badPublicKeys()) {
            cases.add(page("POST /servers/{server}/ssh-keys with " + label(key), INVALID,
                    () -> reseller.postForm(base + "/ssh-keys", Map.of("name", "Bad key", "publicKey", key))));
        }
        for (String service : List.of("sshd", "nginx; reboot", EMPTY, SCRIPT)) {
            cases.add(page("POST /servers/{server}/services/restart " + label(service), INVALID,
                    () -> reseller.postForm(base + "/services/restart", Map.of("service", service))));
        }
        for (String version : List.of("5.6", "8.3; id", SCRIPT)) {
            cases.add(page("POST /servers/{server}/php " + label(version), INVALID,
                    () -> reseller.postForm(base + "/php", Map.of("phpVersions", version, "phpDefaultVersion", "8.3"))));
        }
        cases.add(page("POST /servers/{server}/resize on a custom server", INVALID, () -> reseller.postForm(base + "/resize", Map.of("size", "cx22"))));
        for (String confirm : List.of(EMPTY, "someone-else", server.name().toUpperCase(Locale.ROOT), SCRIPT, NUL)) {
            cases.add(page("POST /servers/{server}/delete confirming " + label(confirm), INVALID,
                    () -> reseller.postForm(base + "/delete", Map.of("confirmName", confirm))));
        }
        for (String id : List.of("srv_zzzzzzzzzzzzzzzzzzzz", SQL, IMG, EMOJI, LONG_IN_URL)) {
            cases.add(page("GET /servers/" + label(id), NOT_FOUND_OR_MALFORMED, () -> reseller.get("/servers/" + segment(id))));
            cases.add(page("POST /servers/" + label(id) + "/reboot", NOT_FOUND_OR_MALFORMED, () -> reseller.postForm("/servers/" + segment(id) + "/reboot", Map.of())));
        }
        cases.add(page("POST /servers/{server}/ssh-keys/<unknown>/delete", NOT_FOUND, () -> reseller.postForm(base + "/ssh-keys/key_zzzzzzzzzzzzzzzzzzzz/delete", Map.of())));
        cases.add(page("POST /servers/{server}/firewall/<unknown>/delete", NOT_FOUND, () -> reseller.postForm(base + "/firewall/fwr_zzzzzzzzzzzzzzzzzzzz/delete", Map.of())));

        // Provider accounts.
        for (String kind : List.of("linode", "custom", EMPTY, SCRIPT, NUL)) {
            cases.add(page("POST /providers with kind " + label(kind), INVALID,
                    () -> reseller.postForm("/providers", Map.of("kind", kind, "name", "Bad kind", "token", "t".repeat(40)))));
        }
        for (String token : List.of(EMPTY, "short", "with space " + "t".repeat(30), LONG, SCRIPT, NUL)) {
            cases.add(page("POST /providers with token " + label(token), INVALID,
                    () -> reseller.postForm("/providers", Map.of("kind", "hetzner", "name", "Bad token", "token", token))));
        }
        for (String name : List.of(EMPTY, LONG, NUL)) {
            cases.add(page("POST /providers with name " + label(name), INVALID,
                    () -> reseller.postForm("/providers", Map.of("kind", "vultr", "name", name, "token", "t".repeat(40)))));
        }
        cases.add(page("POST /providers with bad AWS keys", INVALID, () -> reseller.postForm("/providers",
                Map.of("kind", "aws", "name", "Bad AWS", "accessKeyId", "AKIA123", "secretAccessKey", "short", "defaultRegion", "moon-1"))));
        for (String id : List.of(foreignAccount, "pac_zzzzzzzzzzzzzzzzzzzz", SQL, IMG)) {
            cases.add(page("GET /providers/" + label(id) + "/catalog", NOT_FOUND_OR_MALFORMED, () -> reseller.get("/providers/" + segment(id) + "/catalog")));
            cases.add(page("POST /providers/" + label(id) + "/test", NOT_FOUND_OR_MALFORMED, () -> reseller.postForm("/providers/" + segment(id) + "/test", Map.of())));
            cases.add(page("POST /providers/" + label(id) + "/delete", NOT_FOUND_OR_MALFORMED,
                    () -> reseller.postForm("/providers/" + segment(id) + "/delete", Map.of())));
        }
        return run(cases);
    }

    // ------------------------------------------------------------------ REST API

    @TestFactory
    Stream<DynamicTest> apiRefusesBadInput() {
        List<DynamicTest> cases = new ArrayList<>();
        String parent = fixture.reseller1.id();
        String client = fixture.client1.id();

        // Bodies that are not the expected JSON at all.
        for (String path : List.of("/api/v1/tenants", "/api/v1/users")) {
            for (String body : List.of(EMPTY, "null", "[]", "[{}]", "\"text\"", "42", "{", "{\"name\": \"x\",}", "not json", "<tenant/>",
                    "{\"name\": \"x\"} trailing", "\uFEFF{}", "{\"name\": \"" + LONG.repeat(300) + "\"}")) {
                cases.add(api("POST " + path + " with body " + label(body), MALFORMED_OR_INVALID, () -> apiCall("POST", path, body)));
            }
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x")) {
                cases.add(api("POST " + path + " as " + type, Set.of(415), () -> apiTyped("POST", path, type, "{\"name\": \"x\"}")));
            }
        }
        cases.add(api("POST /api/v1/tenants with an empty object", INVALID, () -> apiCall("POST", "/api/v1/tenants", "{}")));

        // Create a tenant: each field wrong in turn.
        for (String name : List.of(EMPTY, "   ", LONG, NUL, RTL)) {
            cases.add(api("POST /api/v1/tenants with name " + label(name), INVALID,
                    () -> apiCall("POST", "/api/v1/tenants", json(Map.of("name", name, "kind", "client", "parentId", parent)))));
        }
        for (String kind : List.of(EMPTY, SCRIPT, SQL, "platform", NUL, LONG, EMOJI)) {
            cases.add(api("POST /api/v1/tenants with kind " + label(kind), INVALID,
                    () -> apiCall("POST", "/api/v1/tenants", json(Map.of("name", SCRIPT, "kind", kind, "parentId", parent)))));
        }
        for (String parentId : foreignTenantIds()) {
            cases.add(api("POST /api/v1/tenants under " + label(parentId), parentId.length() > 40 || parentId.contains("\u0000") ? INVALID : REFUSED,
                    () -> apiCall("POST", "/api/v1/tenants", json(Map.of("name", "Bad parent", "kind", "client", "parentId", parentId)))));
        }
        cases.add(api("POST /api/v1/tenants: a client under a client", INVALID,
                () -> apiCall("POST", "/api/v1/tenants", json(Map.of("name", "Client under client", "kind", "client", "parentId", client)))));
        for (String raw : List.of("{\"name\": {\"a\": 1}, \"kind\": \"client\", \"parentId\": \"%s\"}",
                "{\"name\": [\"x\"], \"kind\": \"client\", \"parentId\": \"%s\"}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": [\"%s\"]}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": []}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": \"none\"}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": \"ten\"}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": 99999999999}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": {}}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": [1]}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": -1}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxUsers\": 1000001}}",
                "{\"name\": \"x\", \"kind\": \"client\", \"parentId\": \"%s\", \"limits\": {\"maxSites\": -2147483648}}")) {
            String body = raw.formatted(parent);
            cases.add(api("POST /api/v1/tenants with " + label(body), MALFORMED_OR_INVALID, () -> apiCall("POST", "/api/v1/tenants", body)));
        }

        // Edit a tenant.
        for (String body : List.of("{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": \"" + LONG + "\"}", "{\"name\": \"a\\u0000b\"}",
                "{\"name\": \"\\u202Eevil\"}", "{\"name\": 12, \"limits\": []}", "{\"limits\": {\"maxUsers\": -1}}",
                "{\"limits\": {\"maxUsers\": \"ten\"}}", "{\"limits\": {\"maxServers\": 1.5e300}}", "[]", "{", EMPTY, "null")) {
            cases.add(api("PATCH /api/v1/tenants/{client} with " + label(body), MALFORMED_OR_INVALID,
                    () -> apiCall("PATCH", "/api/v1/tenants/" + client, body)));
        }
        String own = fixture.reseller1.id();
        cases.add(api("PATCH /api/v1/tenants/{own}", REFUSED, () -> apiCall("PATCH", "/api/v1/tenants/" + own, "{\"limits\": {\"maxUsers\": 1000000}}")));
        for (String action : List.of("suspend", "resume")) {
            cases.add(api("POST /api/v1/tenants/{own}/" + action, REFUSED, () -> apiCall("POST", "/api/v1/tenants/" + own + "/" + action, null)));
        }
        cases.add(api("PATCH /api/v1/tenants/{client} as text/plain", Set.of(415),
                () -> apiTyped("PATCH", "/api/v1/tenants/" + client, "text/plain", "{\"name\": \"x\"}")));
        for (String id : badTenantIdsInPaths()) {
            Set<Integer> expected = expectedForTenantPath(id);
            cases.add(api("GET /api/v1/tenants/" + label(id), expected, () -> apiCall("GET", "/api/v1/tenants/" + pathId(id), null)));
            cases.add(api("PATCH /api/v1/tenants/" + label(id), expected,
                    () -> apiCall("PATCH", "/api/v1/tenants/" + pathId(id), "{\"name\": \"Renamed\"}")));
            for (String action : List.of("suspend", "resume")) {
                cases.add(api("POST /api/v1/tenants/" + label(id) + "/" + action, expected,
                        () -> apiCall("POST", "/api/v1/tenants/" + pathId(id) + "/" + action, null)));
            }
        }

        // Paging parameters.
        for (String path : List.of("/api/v1/tenants", "/api/v1/users", "/api/v1/audit", "/api/v1/jobs")) {
            for (String query : List.of("limit=abc", "limit=0", "limit=-1", "limit=100000", "limit=99999999999", "limit=1.5", "offset=-1",
                    "offset=x", "limit=" + segment(SQL), "limit=" + segment(SCRIPT), "limit=" + segment(NUL))) {
                cases.add(api("GET " + path + "?" + label(query), MALFORMED_OR_INVALID, () -> apiCall("GET", path + "?" + query, null)));
            }
        }
        for (Map.Entry<String, String> filter : badAuditFilters().entrySet()) {
            if (!filter.getKey().startsWith("page=")) {
                cases.add(api("GET /api/v1/audit?" + filter.getKey(), INVALID, () -> apiCall("GET", "/api/v1/audit?" + filter.getValue(), null)));
            }
        }

        // Invite a user.
        for (String email : badEmails()) {
            cases.add(api("POST /api/v1/users with email " + label(email), INVALID,
                    () -> apiCall("POST", "/api/v1/users", json(Map.of("email", email, "displayName", "Invitee", "tenantId", client)))));
        }
        for (String name : List.of(EMPTY, LONG, NUL, RTL)) {
            cases.add(api("POST /api/v1/users with displayName " + label(name), INVALID,
                    () -> apiCall("POST", "/api/v1/users", json(Map.of("email", freshEmail(), "displayName", name, "tenantId", client)))));
        }
        for (String tenantId : foreignTenantIds()) {
            cases.add(api("POST /api/v1/users into " + label(tenantId), tenantId.length() > 40 || tenantId.contains("\u0000") ? INVALID : REFUSED,
                    () -> apiCall("POST", "/api/v1/users", json(Map.of("email", freshEmail(), "displayName", "Invitee", "tenantId", tenantId)))));
        }
        for (String role : List.of("root", SCRIPT, SQL, "superadmin", "admin", "reseller", NUL, LONG)) {
            cases.add(api("POST /api/v1/users with role " + label(role), INVALID, () -> apiCall("POST", "/api/v1/users",
                    json(Map.of("email", freshEmail(), "displayName", "Invitee", "tenantId", client, "role", role)))));
        }
        cases.add(api("POST /api/v1/users with an empty object", INVALID, () -> apiCall("POST", "/api/v1/users", "{}")));
        cases.add(api("POST /api/v1/users with email as an object", MALFORMED_OR_INVALID, () -> apiCall("POST", "/api/v1/users",
                "{\"email\": {\"a\": 1}, \"displayName\": \"x\", \"tenantId\": \"" + client + "\"}")));
        cases.add(api("POST /api/v1/users with the email of an existing user", INVALID, () -> apiCall("POST", "/api/v1/users",
                json(Map.of("email", fixture.client2Other.email(), "displayName", "Twin", "tenantId", client)))));

        // Users and tokens by id.
        for (String id : badUserIdsInPaths()) {
            Set<Integer> expected = expectedForUserPath(id);
            cases.add(api("GET /api/v1/users/" + label(id), expected, () -> apiCall("GET", "/api/v1/users/" + pathId(id), null)));
            cases.add(api("POST /api/v1/users/" + label(id) + "/disable", expected,
                    () -> apiCall("POST", "/api/v1/users/" + pathId(id) + "/disable", null)));
        }
        cases.add(api("POST /api/v1/users/{self}/disable", INVALID,
                () -> apiCall("POST", "/api/v1/users/" + fixture.reseller1User.userId() + "/disable", null)));
        for (String id : List.of("tok_zzzzzzzzzzzzzzzzzzzz", otherUsersTokenId, SQL, IMG, EMOJI, LONG_IN_URL)) {
            cases.add(api("DELETE /api/v1/tokens/" + label(id), NOT_FOUND_OR_MALFORMED, () -> apiCall("DELETE", "/api/v1/tokens/" + segment(id), null)));
        }
        for (String traversal : traversals()) {
            cases.add(api("DELETE /api/v1/tokens/" + traversal, NOT_FOUND_OR_MALFORMED, () -> apiCall("DELETE", "/api/v1/tokens/" + traversal, null)));
        }

        // Tokens that are not tokens, routes and methods that do not exist.
        for (String token : List.of("vip_" + "z".repeat(40), "vip_" + SQL, SCRIPT, LONG_IN_URL, "vip_", "Bearer")) {
            cases.add(api("GET /api/v1/me with bearer " + label(token), UNAUTHORIZED, () -> apiAs(token, "GET", "/api/v1/me", null)));
        }
        cases.addAll(jobApiCases());
        cases.addAll(siteApiCases());
        cases.add(api("GET /api/v1/nothing-here", NOT_FOUND, () -> apiCall("GET", "/api/v1/nothing-here", null)));
        cases.add(api("PUT /api/v1/tenants", Set.of(405), () -> apiCall("PUT", "/api/v1/tenants", "{}")));
        cases.add(api("DELETE /api/v1/tenants/{client}", Set.of(405), () -> apiCall("DELETE", "/api/v1/tenants/" + client, null)));
        return run(cases);
    }

    /** The sites API: every field of a new site with hostile values, bodies that are not a site, ids that are not sites. */
    private List<DynamicTest> siteApiCases() {
        List<DynamicTest> cases = new ArrayList<>();
        String server = resellerServer.id();
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("domain", List.of(EMPTY, SCRIPT, SQL, NUL, RTL, LONG, "localhost", "1.2.3.4", "example.com:80", "*.example.com",
                "example.com/x", "http://example.com", "-x.example.com"));
        fields.put("aliases", List.of(SCRIPT, SQL, NUL, "1.2.3.4", "*.example.com"));
        fields.put("webRoot", List.of("..", "../../etc", "/etc", SCRIPT, SQL, NUL, LONG));
        fields.put("sharedPaths", List.of("../x", "/etc/passwd", SCRIPT, NUL));
        fields.put("branch", List.of(SCRIPT, SQL, NUL, "$(id)", "`id`", "-x", "a..b", LONG));
        fields.put("repositoryUrl", List.of(SCRIPT, SQL, NUL, "javascript:alert(1)", "file:///etc", "ext::sh -c id", LONG));
        fields.put("deployScript", List.of(NUL, LONG, "x\n".repeat(60)));
        fields.put("type", List.of(EMPTY, SCRIPT, SQL, NUL));
        fields.put("phpVersion", List.of(SCRIPT, "5.6", NUL));
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                Map<String, String> site = new LinkedHashMap<>();
                site.put("serverId", server);
                site.put("type", field.getKey().equals("phpVersion") ? "php" : "static");
                site.put("domain", "bad-input-" + serial.incrementAndGet() + ".example.test");
                site.put("repositoryUrl", "https://git.example.test/o/r.git");
                site.put(field.getKey(), value);
                cases.add(api("POST /api/v1/sites with " + field.getKey() + " " + label(value), INVALID,
                        () -> apiCall("POST", "/api/v1/sites", json(site))));
            }
        }
        for (String body : List.of(EMPTY, "null", "[]", "\"text\"", "{", "not json", "{\"keepReleases\": \"many\"}",
                "{\"keepReleases\": 1e99}")) {
            cases.add(api("POST /api/v1/sites with body " + label(body), MALFORMED_OR_INVALID, () -> apiCall("POST", "/api/v1/sites", body)));
        }
        cases.add(api("POST /api/v1/sites on the client's server, acting in the reseller", INVALID, () -> apiCall("POST", "/api/v1/sites",
                json(Map.of("serverId", this.server.id(), "type", "static", "domain", "below-" + serial.incrementAndGet() + ".example.test")))));
        for (String id : List.of("site_zzzzzzzzzzzzzzzzzzzz", SQL, IMG, EMOJI, LONG_IN_URL, "=" + segment(NUL))) {
            String path = "/api/v1/sites/" + (id.startsWith("=") ? pathId(id) : segment(id));
            Set<Integer> expected = id.startsWith("=") ? NOT_FOUND_OR_MALFORMED : NOT_FOUND;
            cases.add(api("GET /api/v1/sites/" + label(id), expected, () -> apiCall("GET", path, null)));
            cases.add(api("PATCH /api/v1/sites/" + label(id), expected, () -> apiCall("PATCH", path, "{\"keepReleases\": 3}")));
            cases.add(api("POST /api/v1/sites/" + label(id) + "/deployments", expected, () -> apiCall("POST", path + "/deployments", null)));
            cases.add(api("GET /api/v1/sites/" + label(id) + "/deployments/" + label(id), expected,
                    () -> apiCall("GET", path + "/deployments/" + (id.startsWith("=") ? pathId(id) : segment(id)), null)));
        }
        for (String query : List.of("q=" + LONG_IN_URL, "q=" + segment(NUL), "limit=0", "limit=100000", "offset=-1", "serverId=" + segment(NUL))) {
            cases.add(api("GET /api/v1/sites?" + label(query), INVALID, () -> apiCall("GET", "/api/v1/sites?" + query, null)));
        }
        cases.add(api("GET /api/v1/sites?limit=abc", MALFORMED, () -> apiCall("GET", "/api/v1/sites?limit=abc", null)));
        return cases;
    }

    /** The jobs API: ids that are not the caller's jobs, filters and cursors that cannot be read, states that forbid the act. */
    private List<DynamicTest> jobApiCases() {
        List<DynamicTest> cases = new ArrayList<>();
        for (String id : badJobIdsInPaths()) {
            Set<Integer> expected = id.startsWith("=") || traversals().contains(id) ? NOT_FOUND_OR_MALFORMED : REFUSED;
            String path = "/api/v1/jobs/" + pathId(id);
            cases.add(api("GET /api/v1/jobs/" + label(id), expected, () -> apiCall("GET", path, null)));
            cases.add(api("GET /api/v1/jobs/" + label(id) + "/log", expected, () -> apiCall("GET", path + "/log", null)));
            cases.add(api("POST /api/v1/jobs/" + label(id) + "/cancel", expected, () -> apiCall("POST", path + "/cancel", null)));
            cases.add(api("POST /api/v1/jobs/" + label(id) + "/retry", expected, () -> apiCall("POST", path + "/retry", null)));
        }
        for (Map.Entry<String, String> filter : badJobFilters().entrySet()) {
            cases.add(api("GET /api/v1/jobs?" + filter.getKey(), INVALID, () -> apiCall("GET", "/api/v1/jobs?" + filter.getValue(), null)));
        }
        for (String after : List.of("-1", "-9223372036854775808")) {
            cases.add(api("GET /api/v1/jobs/{job}/log?after=" + after, INVALID, () -> apiCall("GET", "/api/v1/jobs/" + queuedJob + "/log?after=" + after, null)));
        }
        for (String after : List.of("abc", "1.5", "99999999999999999999", "1e3", segment(SQL), segment(NUL), LONG_IN_URL)) {
            cases.add(api("GET /api/v1/jobs/{job}/log?after=" + label(after), MALFORMED,
                    () -> apiCall("GET", "/api/v1/jobs/" + queuedJob + "/log?after=" + after, null)));
        }
        cases.add(api("POST /api/v1/jobs/{finished}/cancel", INVALID, () -> apiCall("POST", "/api/v1/jobs/" + finishedJob + "/cancel", null)));
        cases.add(api("POST /api/v1/jobs/{succeeded}/retry", INVALID, () -> apiCall("POST", "/api/v1/jobs/" + finishedJob + "/retry", null)));
        cases.add(api("POST /api/v1/jobs/{queued}/retry", INVALID, () -> apiCall("POST", "/api/v1/jobs/" + queuedJob + "/retry", null)));
        // Methods the routes do not take.
        cases.add(api("POST /api/v1/jobs", Set.of(405), () -> apiCall("POST", "/api/v1/jobs", "{}")));
        cases.add(api("DELETE /api/v1/jobs", Set.of(405), () -> apiCall("DELETE", "/api/v1/jobs", null)));
        cases.add(api("PUT /api/v1/jobs/{job}", Set.of(405), () -> apiCall("PUT", "/api/v1/jobs/" + queuedJob, "{}")));
        cases.add(api("PATCH /api/v1/jobs/{job}", Set.of(405), () -> apiCall("PATCH", "/api/v1/jobs/" + queuedJob, "{}")));
        cases.add(api("DELETE /api/v1/jobs/{job}", Set.of(405), () -> apiCall("DELETE", "/api/v1/jobs/" + queuedJob, null)));
        cases.add(api("GET /api/v1/jobs/{job}/cancel", Set.of(405), () -> apiCall("GET", "/api/v1/jobs/" + queuedJob + "/cancel", null)));
        cases.add(api("GET /api/v1/jobs/{job}/retry", Set.of(405), () -> apiCall("GET", "/api/v1/jobs/" + queuedJob + "/retry", null)));
        cases.add(api("POST /api/v1/jobs/{job}/log", Set.of(405), () -> apiCall("POST", "/api/v1/jobs/" + queuedJob + "/log", "{}")));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> jobStreamsRefuseJobsOutOfReach() {
        List<DynamicTest> cases = new ArrayList<>();
        for (String id : badJobIdsInPaths()) {
            Set<Integer> expected = id.startsWith("=") || traversals().contains(id) ? NOT_FOUND_OR_MALFORMED : REFUSED;
            cases.add(page("GET /events/jobs/" + label(id), expected, () -> reseller.peekStream("/events/jobs/" + pathId(id))));
        }
        return run(cases);
    }

    // ------------------------------------------------------------------ valid but hostile-looking input

    @Test
    void hostileLookingFreeTextIsStoredVerbatimAndEscapedOnEveryPage() {
        // Names are free text: quotes, markup and emoji are legitimate in them, so they are kept exactly as typed and
        // only ever shown escaped.
        String name = SCRIPT + " " + SQL + " " + EMOJI;
        HttpResponse<String> created = apiCall("POST", "/api/v1/tenants", json(Map.of("name", name, "kind", "client", "parentId", fixture.reseller1.id())));
        assertThat(created.statusCode()).as(describe(created)).isEqualTo(201);
        @SuppressWarnings("unchecked")
        Map<String, Object> tenant = JSON.readValue(created.body(), Map.class);
        assertThat(tenant.get("name")).isEqualTo(name);
        String tenantId = (String) tenant.get("id");
        assertThat(query("SELECT name FROM tenants WHERE id = ?", tenantId).get(0).get("name")).isEqualTo(name);

        String email = freshEmail();
        HttpResponse<String> invited = apiCall("POST", "/api/v1/users", json(Map.of("email", email, "displayName", IMG + SCRIPT, "tenantId", tenantId)));
        assertThat(invited.statusCode()).as(describe(invited)).isEqualTo(201);

        for (String page : List.of("/tenants", "/tenants/" + tenantId, "/users", "/users?tenantId=" + tenantId, "/audit", "/audit?target=" + tenantId, "/")) {
            HttpResponse<String> response = reseller.get(page);
            assertThat(response.statusCode()).as("GET %s: %s", page, describe(response)).isEqualTo(200);
            assertNoLeakOrScript("GET " + page, response);
            assertThat(response.body()).as("GET %s shows the escaped markup", page).doesNotContain(IMG);
        }
        assertThat(reseller.get("/tenants/" + tenantId).body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        // The leak check blanks random values first; make sure it really finds the CSRF token in both places it appears.
        String dashboard = reseller.get("/").body();
        Matcher csrf = CSRF.matcher(dashboard);
        assertThat(csrf.find()).isTrue();
        assertThat(dashboard).contains("X-CSRF-TOKEN&#34;: &#34;" + csrf.group(1));
        assertThat(withoutRandomValues(dashboard)).doesNotContain(csrf.group(1));
    }

    @Test
    void searchFiltersWithHostileLookingTextMatchNothingAndAreEchoedEscaped() {
        // A filter is a search, not a command: text that looks like markup or SQL is searched for, finds nothing,
        // and comes back in the filter form escaped.
        for (String value : List.of(SCRIPT, SQL, EMOJI, "%", "_", "\\", "'; DROP TABLE audit_log; --")) {
            String query = "actor=" + segment(value) + "&action=" + segment(value) + "&target=" + segment(value);
            HttpResponse<String> page = reseller.get("/audit?" + query);
            assertThat(page.statusCode()).as("GET /audit with %s: %s", value, describe(page)).isEqualTo(200);
            assertNoLeakOrScript("GET /audit with " + label(value), page);
            assertThat(page.body()).contains("Nothing matches these filters.");

            HttpResponse<String> api = apiCall("GET", "/api/v1/audit?" + query, null);
            assertThat(api.statusCode()).as(describe(api)).isEqualTo(200);
            assertThat(api.body()).contains("\"total\":0");

            HttpResponse<String> users = apiCall("GET", "/api/v1/users?tenantId=" + segment(value), null);
            assertThat(users.statusCode()).as(describe(users)).isEqualTo(200);
            assertThat(users.body()).isEqualTo("[]");
        }
        // A NUL cannot be in any id, so as a tenant filter it matches nothing either (PostgreSQL could not even compare it).
        HttpResponse<String> nul = apiCall("GET", "/api/v1/users?tenantId=" + segment(NUL), null);
        assertThat(nul.statusCode()).as(describe(nul)).isEqualTo(200);
        assertThat(nul.body()).isEqualTo("[]");
        HttpResponse<String> nulPage = reseller.get("/users?tenantId=" + segment(NUL));
        assertThat(nulPage.statusCode()).as(describe(nulPage)).isEqualTo(200);
        assertNoLeakOrScript("GET /users?tenantId=NUL", nulPage);
        assertThat(nulPage.body()).doesNotContain(fixture.client1Other.email());
        // Another tenant's id as a filter shows nothing of it either.
        HttpResponse<String> foreign = apiCall("GET", "/api/v1/users?tenantId=" + fixture.client2.id(), null);
        assertThat(foreign.statusCode()).isEqualTo(200);
        assertThat(foreign.body()).isEqualTo("[]");
        assertThat(reseller.get("/users?tenantId=" + fixture.client2.id()).body()).doesNotContain(fixture.client2Other.email());
        assertThat(reseller.get("/audit?target=" + fixture.client2.id()).body()).contains("Nothing matches these filters.");
    }

    @Test
    void aRequestLineOverTheServersLimitIsABadRequest() {
        // The HTTP server itself caps the request head (8 KB); the answer must still be a plain 4xx that says nothing internal.
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tenants/" + LONG))
                .header("Authorization", "Bearer " + resellerToken).header("Accept", "application/json").GET().build());
        assertThat(response.statusCode()).as(describe(response)).isBetween(400, 499);
        assertNoLeakOrScript("a 10k path", response);
        HttpResponse<String> page = reseller.get("/audit?actor=" + LONG);
        assertThat(page.statusCode()).as(describe(page)).isBetween(400, 499);
        assertNoLeakOrScript("a 10k query", page);
    }

    // ------------------------------------------------------------------ cases and checks

    private DynamicTest page(String name, Set<Integer> expected, Supplier<HttpResponse<String>> call) {
        return dynamicTest(name, () -> check(name, expected, false, call));
    }

    private DynamicTest api(String name, Set<Integer> expected, Supplier<HttpResponse<String>> call) {
        return dynamicTest(name, () -> check(name, expected, true, call));
    }

    /** Runs the cases, then checks through the API (as the superadmin) that none of them created anything. */
    private Stream<DynamicTest> run(List<DynamicTest> cases) {
        Map<String, Integer> before = new LinkedHashMap<>();
        DynamicTest count = dynamicTest("count tenants and users before", () -> before.putAll(apiCounts()));
        DynamicTest compare = dynamicTest("nothing was created: tenant and user counts are unchanged", () ->
                assertThat(apiCounts()).isEqualTo(before));
        return Stream.of(Stream.of(count), cases.stream(), Stream.of(compare)).flatMap(s -> s);
    }

    private void check(String name, Set<Integer> expected, boolean api, Supplier<HttpResponse<String>> call) {
        Map<String, List<Map<String, Object>>> before = snapshot();
        HttpResponse<String> response = call.get();
        String answer = describe(response);
        if (expected.stream().allMatch(code -> code >= 400 && code < 500)) {
            assertThat(response.statusCode()).as("%s must be refused, never fail: %s", name, answer).isBetween(400, 499);
        }
        assertThat(response.statusCode()).as("%s: %s", name, answer).isIn(expected);
        assertNoLeakOrScript(name, response);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (api && REFUSED_BY_SERVER.matcher(name.split("\\?", 2)[0]).find()) {
            // Tomcat itself refuses an encoded slash, backslash or NUL in a path before the request reaches the
            // panel, with its own minimal page; the panel has no say in that answer, which must still be a bare 400.
            assertThat(response.statusCode()).as("%s: %s", name, answer).isEqualTo(400);
        } else if (api) {
            assertThat(type).as("%s: content type of %s", name, answer).startsWith("application/problem+json");
            Map<?, ?> problem = JSON.readValue(response.body(), Map.class);
            assertThat(problem.get("detail")).as("%s: detail of %s", name, answer).isInstanceOf(String.class);
            assertThat((String) problem.get("detail")).as("%s: detail", name).isNotBlank();
            assertThat(problem.get("status")).as("%s: status in the body", name).isEqualTo(response.statusCode());
            if (response.statusCode() == 422) {
                assertThat(problem.get("errors")).as("%s: field errors of %s", name, answer).isInstanceOf(Map.class);
                assertThat((Map<?, ?>) problem.get("errors")).as("%s: field errors", name).isNotEmpty();
            }
        } else if (response.statusCode() != 405) {
            assertThat(type).as("%s: content type of %s", name, answer).startsWith("text/");
        }
        assertThat(snapshot()).as("%s must not change tenants, users, tokens or sessions", name).isEqualTo(before);
    }

    private void assertNoLeakOrScript(String name, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        boolean html = type.contains("html") || body.stripLeading().startsWith("<");
        if (html) {
            assertThat(body).as("%s: the HTML answer echoes script unescaped", name).doesNotContain(SCRIPT, IMG);
        }
        String scanned = withoutRandomValues(body);
        for (Pattern leak : LEAKS) {
            assertThat(leak.matcher(scanned).find()).as("%s: the answer shows internals (%s): %s", name, leak, describe(response)).isFalse();
        }
    }

    private static String withoutRandomValues(String body) {
        String masked = body;
        for (Pattern random : RANDOM) {
            masked = random.matcher(masked).replaceAll("");
        }
        return masked;
    }

    private Map<String, Integer> apiCounts() {
        HttpResponse<String> tenants = apiAs(superToken, "GET", "/api/v1/tenants?limit=500", null);
        HttpResponse<String> users = apiAs(superToken, "GET", "/api/v1/users?limit=500", null);
        assertThat(tenants.statusCode()).as(describe(tenants)).isEqualTo(200);
        assertThat(users.statusCode()).as(describe(users)).isEqualTo(200);
        Map<?, ?> page = JSON.readValue(tenants.body(), Map.class);
        List<?> list = JSON.readValue(users.body(), List.class);
        assertThat((Integer) page.get("total")).as("the superadmin sees the fixture's tenants").isGreaterThanOrEqualTo(5);
        assertThat(list).as("the superadmin sees the fixture's users").hasSizeGreaterThanOrEqualTo(8);
        return Map.of("tenants", (Integer) page.get("total"), "users", list.size());
    }

    // ------------------------------------------------------------------ inputs

    private static Map<String, String> payloads() {
        Map<String, String> payloads = new LinkedHashMap<>();
        payloads.put("empty", EMPTY);
        payloads.put("10k characters", LONG);
        payloads.put("script", SCRIPT);
        payloads.put("SQL quote", SQL);
        payloads.put("emoji", EMOJI + "@example.test");
        payloads.put("RTL override", RTL + "@example.test");
        payloads.put("NUL", NUL + "@example.test");
        payloads.put("an id", UNKNOWN_USER);
        payloads.put("IDN too long", IDN_TOO_LONG);
        return payloads;
    }

    private static List<String> badEmails() {
        return List.of(EMPTY, "   ", LONG, SCRIPT, SCRIPT + "@example.test", SQL, "x" + SQL + "@example.test", NUL + "@example.test",
                RTL + "@example.test", EMOJI + "@example.test", "no-at-sign", "a@b", "a@-bad-.test", "a@exa mple.test", "@example.test",
                "a@@example.test", "a".repeat(65) + "@example.test", "a@" + "b".repeat(64) + ".test", IDN_TOO_LONG);
    }

    private static List<String> badLimits() {
        return List.of("ten", "-1", "1000001", "99999999999", "1e3", "1.5", "0x10", SCRIPT, SQL, NUL, EMOJI, LONG);
    }

    /** Tenant ids the reseller may not use: unknown, of the wrong kind, of another subtree, junk. */
    private List<String> foreignTenantIds() {
        return List.of(UNKNOWN_TENANT, UNKNOWN_USER, fixture.client2.id(), fixture.reseller2.id(), fixture.platform.id(),
                fixture.client2.id().toUpperCase(Locale.ROOT), " " + fixture.client2.id(), SCRIPT, SQL, "../../etc/passwd",
                NUL, LONG, EMOJI, fixture.client2Other.userId());
    }

    /** Tenant ids for paths, already URL-encoded where they are junk. */
    private List<String> badTenantIdsInPaths() {
        List<String> ids = new ArrayList<>(List.of(UNKNOWN_TENANT, UNKNOWN_USER, fixture.client2.id(), fixture.reseller2.id(), fixture.platform.id(),
                "=" + segment(SQL), "=" + segment(IMG), "=" + segment(EMOJI), "=" + segment(NUL), "=" + LONG_IN_URL));
        ids.addAll(traversals());
        return ids;
    }

    private List<String> badJobIdsInPaths() {
        List<String> ids = new ArrayList<>(List.of(UNKNOWN_JOB, UNKNOWN_TENANT, foreignJob, foreignJob.toUpperCase(Locale.ROOT), "job_", "job_" + "Z".repeat(20),
                "=" + segment(SQL), "=" + segment(IMG), "=" + segment(EMOJI), "=" + segment(" " + queuedJob), "=" + LONG_IN_URL));
        ids.addAll(traversals());
        return ids;
    }

    private List<String> badUserIdsInPaths() {
        List<String> ids = new ArrayList<>(List.of(UNKNOWN_USER, UNKNOWN_TENANT, fixture.client2Other.userId(), fixture.reseller2User.userId(),
                fixture.superadmin.userId(), fixture.admin.userId(), "=" + segment(SQL), "=" + segment(IMG), "=" + segment(EMOJI), "=" + LONG_IN_URL));
        ids.addAll(traversals());
        return ids;
    }

    /** Path segments that try to climb out of the route, as a client could send them. */
    private static List<String> traversals() {
        return List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e%2fadmin", "..%5C..%5Cwindows", "ten_zzzzzzzzzzzzzzzzzzzz%2F..",
                "ten_zzzzzzzzzzzzzzzzzzzz;jsessionid=x", "%252e%252e%252f", "%00", "ten_zzzzzzzzzzzzzzzzzzzz%00");
    }

    /** A path id: ids starting with '=' are junk already encoded for the path, others are sent as they are. */
    private static String pathId(String id) {
        return id.startsWith("=") ? id.substring(1) : id;
    }

    private Set<Integer> expectedForTenantPath(String id) {
        return id.startsWith("=") || traversals().contains(id) ? NOT_FOUND_OR_MALFORMED : REFUSED;
    }

    private Set<Integer> expectedForUserPath(String id) {
        return id.startsWith("=") || traversals().contains(id) ? NOT_FOUND_OR_MALFORMED : REFUSED;
    }

    private static Map<String, String> badJobFilters() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("status=done", "status=done");
        filters.put("status=script", "status=" + segment(SCRIPT));
        filters.put("status=SQL", "status=" + segment(SQL));
        filters.put("status=NUL", "status=" + segment(NUL));
        filters.put("status=2k characters", "status=" + LONG_IN_URL);
        filters.put("type=2k characters", "type=" + LONG_IN_URL);
        filters.put("type=NUL", "type=" + segment(NUL));
        filters.put("target=2k characters", "target=" + LONG_IN_URL);
        filters.put("target=NUL", "target=" + segment(NUL));
        filters.put("target=RTL override", "target=" + segment(RTL));
        filters.put("from=yesterday", "from=yesterday");
        filters.put("from=2026-13-45", "from=2026-13-45");
        filters.put("to=script", "to=" + segment(SCRIPT));
        filters.put("from=emoji", "from=" + segment(EMOJI));
        filters.put("from=year 999999999", "from=" + segment("+999999999-12-31T00:00:00Z"));
        filters.put("to=year -999999999", "to=" + segment("-999999999-01-01T00:00:00Z"));
        filters.put("from=0000-01-01", "from=0000-01-01");
        filters.put("from after to", "from=2026-02-01&to=2026-01-01");
        return filters;
    }

    private static Map<String, String> badAuditFilters() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("from=yesterday", "from=yesterday");
        filters.put("from=2026-13-45", "from=2026-13-45");
        filters.put("to=script", "to=" + segment(SCRIPT));
        filters.put("to=SQL", "to=" + segment(SQL));
        filters.put("from=emoji", "from=" + segment(EMOJI));
        filters.put("from=NUL", "from=" + segment(NUL));
        filters.put("from=year 999999999", "from=" + segment("+999999999-12-31T00:00:00Z"));
        filters.put("to=year -999999999", "to=" + segment("-999999999-01-01T00:00:00Z"));
        filters.put("from=year 300000", "from=" + segment("+300000-01-01T00:00:00Z"));
        filters.put("actor=2k characters", "actor=" + LONG_IN_URL);
        filters.put("action=2k characters", "action=" + LONG_IN_URL);
        filters.put("target=2k characters", "target=" + LONG_IN_URL);
        filters.put("actor=NUL", "actor=" + segment(NUL));
        filters.put("action=NUL", "action=" + segment(NUL));
        filters.put("target=NUL", "target=" + segment(NUL));
        filters.put("page=abc", "page=abc");
        filters.put("page=99999999999", "page=99999999999");
        return filters;
    }

    private String freshEmail() {
        return "bad-input-" + serial.incrementAndGet() + "-" + fixture.client1.id() + "@example.test";
    }

    private static String label(String value) {
        String shown = value.length() > 40 ? value.substring(0, 12) + "…(" + value.length() + " chars)" : value;
        return "[" + shown.replace("\u0000", "\\0").replace("\u202E", "\\u202E") + "]";
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String json(Map<String, String> fields) {
        return JSON.writeValueAsString(fields);
    }

    // ------------------------------------------------------------------ HTTP

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A browser without a session beyond the one the sign-in page gives it, coming from its own address. */
    private final class Anonymous {
        private final PanelClient browser;
        private final String csrf;

        Anonymous(String ip) {
            this.browser = PanelClient.browserFrom(port, ip);
            Matcher matcher = CSRF.matcher(browser.get("/login").body());
            assertThat(matcher.find()).as("the sign-in page carries a CSRF token").isTrue();
            this.csrf = matcher.group(1);
        }

        HttpResponse<String> get(String path) {
            return browser.get(path);
        }

        HttpResponse<String> post(String path, Map<String, String> fields) {
            Map<String, String> all = new LinkedHashMap<>(fields);
            all.put("_csrf", csrf);
            return browser.postRawForm(path, all);
        }
    }

    /** Each anonymous browser comes from its own documentation address, so per-address rate limits stay out of the way. */
    private Anonymous anonymous() {
        int n = serial.incrementAndGet();
        return new Anonymous("198.18." + (n / 250 % 250) + "." + (n % 250 + 1));
    }

    private HttpResponse<String> apiCall(String method, String path, @Nullable String json) {
        return apiCall(method, path, "application/json", json, resellerToken);
    }

    private HttpResponse<String> apiAs(String token, String method, String path, @Nullable String json) {
        return apiCall(method, path, "application/json", json, token);
    }

    private HttpResponse<String> apiTyped(String method, String path, String contentType, String body) {
        return apiCall(method, path, contentType, body, resellerToken);
    }

    private HttpResponse<String> apiCall(String method, String path, String contentType, @Nullable String body, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            builder.header("Content-Type", contentType);
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(builder.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                + response.headers().firstValue("Location").map(l -> "→ " + l + " ").orElse("") + body.substring(0, Math.min(400, body.length()));
    }

    // ------------------------------------------------------------------ the database, read directly (as the system, through the panel's pool)

    /** What any of the refused requests could have changed. */
    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> state = new LinkedHashMap<>();
        state.put("tenants", query("SELECT id, parent_id, kind, name, status, require_2fa, max_servers, max_sites, max_mailboxes, max_users "
                + "FROM tenants ORDER BY id"));
        state.put("users", query("SELECT id, tenant_id, email, display_name, role, status, password_hash, totp_secret IS NOT NULL AS totp "
                + "FROM users ORDER BY id"));
        state.put("api_tokens", query("SELECT id, user_id, name, expires_at, revoked_at FROM api_tokens ORDER BY id"));
        state.put("sessions", query("SELECT id, user_id, revoked_at FROM user_sessions ORDER BY id"));
        state.put("links", query("SELECT id, purpose, used_at FROM one_time_tokens ORDER BY id"));
        state.put("recovery_codes", query("SELECT user_id, count(*) AS codes FROM recovery_codes GROUP BY user_id ORDER BY user_id"));
        state.put("jobs", query("SELECT id, tenant_id, status, cancel_requested, rerun_of FROM jobs ORDER BY id"));
        state.put("servers", query("SELECT id, tenant_id, name, status, ipv4, ssh_port, last_job_id FROM servers ORDER BY id"));
        state.put("provider_accounts", query("SELECT id, name, last_checked_at FROM provider_accounts ORDER BY id"));
        state.put("server_ssh_keys", query("SELECT id, status FROM server_ssh_keys ORDER BY id"));
        state.put("firewall_rules", query("SELECT id, status FROM firewall_rules ORDER BY id"));
        return state;
    }

    private void resetFailures(String userId) {
        system.run(() -> jdbc.sql("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?").params(userId).update());
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        return system.call(() -> jdbc.sql(sql).params(params).query().listOfRows());
    }
}
