package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.sites.internal.SiteInput;
import io.vippanel.sites.internal.SitePresets;
import io.vippanel.sites.internal.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values people type about sites: host names, paths, branches, repository URLs, scripts; and webhook signatures. */
class SiteInputTests {

    private static boolean refused(Consumer<Validation> check) {
        Validation validation = new Validation();
        check.accept(validation);
        return validation.hasErrors();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "www.example.com", "a.b.c.example.co.uk", "xn--bcher-kva.example", "my-site.example",
            "EXAMPLE.Com", "1and1.com"})
    void hostNamesAreAccepted(String name) {
        assertThat(refused(v -> SiteInput.hostName(v, "domain", name))).as(name).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example", "1.2.3.4", "10.0.0.1", "[::1]", "::1", "example.com:8080", "example.com/path",
            "*.example.com", "http://example.com", "exa mple.com", "-example.com", "example-.com", "example..com", ".example.com",
            "example.com;rm", "ex_ample.com", "user@example.com", "example.123"})
    void otherNamesAreNotHostNames(String name) {
        assertThat(refused(v -> SiteInput.hostName(v, "domain", name))).as(name).isTrue();
    }

    @Test
    void hostNamesOverTheLengthLimitAreRefused() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, label) + ".com";
        assertThat(name.length()).isGreaterThan(253);
        assertThat(refused(v -> SiteInput.hostName(v, "domain", name))).isTrue();
        assertThat(refused(v -> SiteInput.hostName(v, "domain", "a".repeat(64) + ".com"))).isTrue();
    }

    @Test
    void internationalNamesAreStoredInPunycodeLowerCase() {
        Validation validation = new Validation();
        assertThat(SiteInput.hostName(validation, "domain", " Bücher.Example ")).isEqualTo("xn--bcher-kva.example");
        assertThat(SiteInput.hostName(validation, "domain", "пример.рф")).isEqualTo("xn--e1afmkfd.xn--p1ai");
        assertThat(validation.hasErrors()).isFalse();
    }

    @Test
    void aliasesAreHostNamesWithoutDuplicatesOrTheDomain() {
        Validation validation = new Validation();
        assertThat(SiteInput.aliases(validation, "aliases", "www.example.com, shop.example.com\nbücher.example", "example.com"))
                .containsExactly("www.example.com", "shop.example.com", "xn--bcher-kva.example");
        assertThat(validation.hasErrors()).isFalse();
        assertThat(refused(v -> SiteInput.aliases(v, "aliases", "www.example.com www.example.com", "example.com"))).isTrue();
        assertThat(refused(v -> SiteInput.aliases(v, "aliases", "EXAMPLE.com", "example.com"))).isTrue();
        assertThat(refused(v -> SiteInput.aliases(v, "aliases", "www.example.com, 1.2.3.4", "example.com"))).isTrue();
        assertThat(refused(v -> SiteInput.aliases(v, "aliases", "*.example.com", "example.com"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "public", "web/public", "dist", "public_html", "a.b/c-d"})
    void webRootsAreRelativePaths(String path) {
        assertThat(refused(v -> SiteInput.webRoot(v, "webRoot", path))).as(path).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "public/../../etc", "/var/www", "public//x", "./public", "pub lic", "public;ls", "$(id)",
            "public\u0000", "~root", "-rf"})
    void webRootsOutsideTheReleaseAreRefused(String path) {
        assertThat(refused(v -> SiteInput.webRoot(v, "webRoot", path))).as(path).isTrue();
    }

    @Test
    void sharedPathsAreRelativeAndSafe() {
        Validation validation = new Validation();
        assertThat(SiteInput.sharedPaths(validation, "sharedPaths", ".env, storage\nwp-content/uploads")).containsExactly(".env",
                "storage", "wp-content/uploads");
        assertThat(validation.hasErrors()).isFalse();
        for (String bad : List.of("../shared", "storage/../../etc", "/etc/passwd", ".env,.env", "a b", "x;rm -rf /", "`id`")) {
            assertThat(refused(v -> SiteInput.sharedPaths(v, "sharedPaths", bad))).as(bad).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "master", "release/2.1", "feature/new-login", "v1.0.x", "dependabot/npm_and_yarn/x-1.2"})
    void branchesGitAcceptsAreAccepted(String branch) {
        assertThat(refused(v -> SiteInput.branch(v, "branch", branch))).as(branch).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "main;rm -rf /", "main && id", "$(id)", "`id`", "main|cat", "ma in", "-main", "--upload-pack=x",
            "main..x", "main.lock", "/main", "main/", ".hidden", "a/.b", "main~1", "main^", "main:x", "a?b", "a*b", "a[b", "a\\b",
            "main@{1}", "HEAD", "main.", "a//b", "ma\nin", "main'", "main\"", "main>x", "main<x", "main&"})
    void branchesWithShellCharactersOrThatGitRefusesAreRefused(String branch) {
        assertThat(refused(v -> SiteInput.branch(v, "branch", branch))).as(branch).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/owner/repo.git", "https://gitlab.example.com:8443/group/sub/repo",
            "ssh://git@github.com/owner/repo.git", "ssh://git@git.example.com:2222/owner/repo.git", "git@github.com:owner/repo.git",
            "deploy@10.0.0.5:repos/site.git"})
    void repositoryUrlsAreAccepted(String url) {
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", url, false))).as(url).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://github.com/owner/repo.git", "ftp://example.com/repo", "github.com/owner/repo",
            "https://user:token@github.com/owner/repo.git", "https://github.com/owner/repo.git;id", "https://github.com/ow ner/repo",
            "https://github.com/$(id)", "https://github.com/`id`", "git@github.com:owner/repo.git|sh", "-uhttps://x.example/r",
            "ext::sh -c id", "https://github.com", "https://github.com/", "file:///srv/repos/x.git", "https://github.com/a/b?x=1",
            "git@github.com:-oProxyCommand=id", "ssh://-oProxyCommand=id/x", "https://github.com/../../etc"})
    void otherRepositoryUrlsAreRefused(String url) {
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", url, false))).as(url).isTrue();
    }

    @Test
    void localRepositoriesOnlyWhereAllowed() {
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", "file:///srv/repos/x.git", true))).isFalse();
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", "file:///srv/repos/x.git", false))).isTrue();
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", "file:///srv/../etc/x.git", true))).isTrue();
        assertThat(refused(v -> SiteInput.repositoryUrl(v, "repositoryUrl", "file://host/srv/x.git", true))).isTrue();
    }

    @Test
    void deployScriptsHaveLimits() {
        assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", "npm ci\n\nnpm run build\n"))).isFalse();
        assertThat(SiteInput.steps("npm ci\n\n  npm run build  \n\n")).containsExactly("npm ci", "npm run build");
        assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", "echo a\u0000b"))).isTrue();
        assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", "true\n".repeat(51)))).isTrue();
        assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", "x".repeat(4001)))).isTrue();
        assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", "true\n".repeat(50)))).isFalse();
    }

    @Test
    void keptReleasesAreOneToFifty() {
        Validation validation = new Validation();
        assertThat(SiteInput.keepReleases(validation, "keepReleases", null)).isEqualTo(5);
        assertThat(refused(v -> SiteInput.keepReleases(v, "keepReleases", 0))).isTrue();
        assertThat(refused(v -> SiteInput.keepReleases(v, "keepReleases", 51))).isTrue();
        assertThat(refused(v -> SiteInput.keepReleases(v, "keepReleases", 50))).isFalse();
    }

    @Test
    void phpVersionsMustBeInstalled() {
        Validation validation = new Validation();
        assertThat(SiteInput.phpVersion(validation, "phpVersion", null, List.of("8.3", "8.2"), "8.3")).isEqualTo("8.3");
        assertThat(refused(v -> SiteInput.phpVersion(v, "phpVersion", "8.1", List.of("8.3"), "8.3"))).isTrue();
        assertThat(refused(v -> SiteInput.phpVersion(v, "phpVersion", null, List.of(), ""))).isTrue();
        assertThat(validation.hasErrors()).isFalse();
    }

    @Test
    void customNginxLinesMayNotReachOutsideTheSite() {
        assertThat(refused(v -> SiteInput.nginxCustom(v, "nginxCustom", "add_header X-Frame-Options DENY;\nlocation /old { return 301 /new; }")))
                .isFalse();
        for (String bad : List.of("alias /home/other/;", "location /x { root /etc; }", "access_log /etc/cron.d/x;", "include /etc/shadow;",
                "fastcgi_pass unix:/run/php/vip-other.sock;", "load_module x.so;", "error_log /root/x;")) {
            assertThat(refused(v -> SiteInput.nginxCustom(v, "nginxCustom", bad))).as(bad).isTrue();
        }
    }

    @Test
    void systemUsersComeFromTheDomain() {
        assertThat(SiteInput.systemUserBase("example.com")).isEqualTo("example");
        assertThat(SiteInput.systemUserBase("my-shop.example.com")).isEqualTo("myshop");
        assertThat(SiteInput.systemUserBase("1and1.com")).isEqualTo("s1and1");
        assertThat(SiteInput.systemUserBase("xn--bcher-kva.example")).isEqualTo("xnbcherkva");
        assertThat(SiteInput.systemUserBase("averyveryverylongsubdomainname.example")).hasSize(20);
    }

    @Test
    void presetsFollowTheType() {
        assertThat(SitePresets.of(SiteType.LARAVEL).webRoot()).isEqualTo("public");
        assertThat(SitePresets.of(SiteType.LARAVEL).sharedPaths()).containsExactly(".env", "storage");
        assertThat(SiteInput.steps(SitePresets.of(SiteType.LARAVEL).deployScript())).hasSize(5).contains("php artisan migrate --force");
        assertThat(SiteInput.steps(SitePresets.of(SiteType.STATIC).deployScript())).isEmpty();
        assertThat(SitePresets.of(SiteType.NODEJS).restart()).as("the app restarts with the workers, after the switch").isEqualTo("none");
        for (SiteType type : SiteType.values()) {
            assertThat(refused(v -> SiteInput.deployScript(v, "deployScript", SitePresets.of(type).deployScript()))).isFalse();
            assertThat(refused(v -> SiteInput.webRoot(v, "webRoot", SitePresets.of(type).webRoot()))).isFalse();
        }
    }

    @Test
    void githubSignaturesAreCheckedAgainstTheRawBody() {
        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        // The example from GitHub's documentation on validating webhook deliveries.
        assertThat(WebhookSignatures.githubSignature("Hello, World!".getBytes(StandardCharsets.UTF_8), "It's a Secret to Everybody"))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        String signature = WebhookSignatures.githubSignature(body, "s3cret");
        assertThat(WebhookSignatures.githubValid(signature, body, "s3cret")).isTrue();
        assertThat(WebhookSignatures.githubValid(signature, body, "other")).isFalse();
        assertThat(WebhookSignatures.githubValid(signature, "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8), "s3cret")).isFalse();
        assertThat(WebhookSignatures.githubValid(signature.replace("sha256=", "sha1="), body, "s3cret")).isFalse();
        assertThat(WebhookSignatures.githubValid("sha256=zz", body, "s3cret")).isFalse();
        assertThat(WebhookSignatures.githubValid(null, body, "s3cret")).isFalse();
        assertThat(WebhookSignatures.gitlabValid("s3cret", "s3cret")).isTrue();
        assertThat(WebhookSignatures.gitlabValid("s3cre", "s3cret")).isFalse();
        assertThat(WebhookSignatures.gitlabValid(null, "s3cret")).isFalse();
    }

    @Test
    void invalidInputNamesTheField() {
        Validation validation = new Validation();
        SiteInput.hostName(validation, "domain", "not a host");
        try {
            validation.throwIfInvalid();
        } catch (InvalidInput e) {
            assertThat(e.fieldErrors()).containsKey("domain");
            assertThat(e.fieldErrors().get("domain")).contains("not a host").contains("not a valid host name");
        }
    }
}
