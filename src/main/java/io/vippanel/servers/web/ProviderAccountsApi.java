package io.vippanel.servers.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.servers.NewProviderAccount;
import io.vippanel.servers.ProviderAccount;
import io.vippanel.servers.ProviderAccounts;
import io.vippanel.servers.ProviderCatalog;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.tenancy.Actor;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/provider-accounts}: cloud provider accounts (credentials go in once and never come out) and
 * their catalogs. A provider that fails while the call waits answers 502 (it refused) or 503 (down, rate limited).
 */
@RestController
@RequestMapping("/api/v1/provider-accounts")
@Tag(name = "Provider accounts", description = "Hetzner Cloud, DigitalOcean, Vultr and AWS accounts servers are created with.")
class ProviderAccountsApi {

    @Schema(name = "ProviderAccount", description = "A provider account; its credentials are stored encrypted and never returned.")
    record AccountJson(String id, String tenantId,
                       @Schema(allowableValues = {"hetzner", "digitalocean", "vultr", "aws"}) String kind,
                       String name,
                       @Schema(description = "Usable by every tenant below the owner") boolean shared,
                       @Schema(description = "The last characters of the token or access key id", example = "…x7Qa") String credentialHint,
                       @Nullable String defaultRegion, @Nullable Instant lastCheckedAt, @Nullable Boolean lastCheckOk,
                       @Nullable String lastCheckNote, Instant createdAt,
                       @Schema(description = "The caller's tenant scope owns it and may test or delete it") boolean owned) {
        static AccountJson of(ProviderAccount account) {
            return new AccountJson(account.id(), account.tenantId(), account.kind().name().toLowerCase(Locale.ROOT), account.name(),
                    account.shared(), account.credentialHint(), account.defaultRegion(), account.lastCheckedAt(),
                    account.lastCheckOk(), account.lastCheckNote(), account.createdAt(), account.ownedByViewer());
        }
    }

    @Schema(name = "NewProviderAccount", description = "token for hetzner, digitalocean and vultr; accessKeyId, "
            + "secretAccessKey and defaultRegion for aws. The credentials are checked live before they are stored.")
    record CreateAccount(@Nullable String kind, @Nullable String name, @Nullable String token, @Nullable String accessKeyId,
                         @Nullable String secretAccessKey, @Nullable String defaultRegion, @Nullable Boolean shared) {
        @Override
        public String toString() {
            return "CreateAccount[" + kind + ", " + name + "]";
        }
    }

    @Schema(name = "Catalog", description = "What the account can create; cached for a few minutes.")
    record CatalogJson(String accountId, List<Region> regions, List<SizeJson> sizes, List<ImageJson> images, Instant fetchedAt) {
    }

    @Schema(name = "Size", description = "Prices in the currency given; null where the provider does not say.")
    record SizeJson(String id, String description, int vcpus, int memoryMb, int diskGb, @Nullable BigDecimal monthlyPrice,
                    @Nullable BigDecimal hourlyPrice, String currency, List<String> regions) {
        static SizeJson of(Size size) {
            return new SizeJson(size.id(), size.description(), size.vcpus(), size.memoryMb(), size.diskGb(), size.monthlyPrice(),
                    size.hourlyPrice(), size.currency(), size.regions());
        }
    }

    @Schema(name = "Image")
    record ImageJson(String id, @Schema(allowableValues = {"UBUNTU_22_04", "UBUNTU_24_04", "DEBIAN_12", "DEBIAN_13"}) String os,
                     String name) {
        static ImageJson of(Image image) {
            return new ImageJson(image.id(), image.os().name(), image.name());
        }
    }

    private final ProviderAccounts accounts;

    ProviderAccountsApi(ProviderAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "List provider accounts", description = "The caller's own and those shared by tenants above it.")
    List<AccountJson> list(@AuthenticationPrincipal Actor actor) {
        return accounts.list(actor).stream().map(AccountJson::of).toList();
    }

    @PostMapping
    @Operation(summary = "Add a provider account", description = "Checks the credentials with the provider first: refused ones answer 422.")
    ResponseEntity<AccountJson> create(@AuthenticationPrincipal Actor actor, @RequestBody CreateAccount request) {
        ProviderAccount account = accounts.create(actor, new NewProviderAccount(request.kind(), request.name(), request.token(),
                request.accessKeyId(), request.secretAccessKey(), request.defaultRegion(), Boolean.TRUE.equals(request.shared())));
        return ResponseEntity.created(URI.create("/api/v1/provider-accounts/" + account.id())).body(AccountJson.of(account));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a provider account")
    AccountJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return AccountJson.of(accounts.get(actor, id));
    }

    @PostMapping("/{id}/test")
    @Operation(summary = "Test the stored credentials live", description = "The answer's lastCheckOk and lastCheckNote say how it went.")
    AccountJson test(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return AccountJson.of(accounts.testConnection(actor, id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a provider account", description = "Refused (422) while servers made through it exist.")
    void delete(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        accounts.delete(actor, id);
    }

    @GetMapping("/{id}/catalog")
    @Operation(summary = "Regions, sizes with prices, and images", description = "From a short-lived cache; 502/503 when the provider fails.")
    CatalogJson catalog(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        ProviderCatalog catalog = accounts.catalog(actor, id);
        return new CatalogJson(catalog.accountId(), catalog.regions(), catalog.sizes().stream().map(SizeJson::of).toList(),
                catalog.images().stream().map(ImageJson::of).toList(), catalog.fetchedAt());
    }
}
