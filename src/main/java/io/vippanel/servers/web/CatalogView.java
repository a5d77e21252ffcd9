package io.vippanel.servers.web;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderCatalog;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The wizard's region, size and image choices. For a cloud account they come from its catalog, or, when the
 * provider failed, an N/A box with the provider's message and a retry; for a custom server (or before an account
 * is chosen) only the operating system is asked.
 *
 * @param accountId  the provider account, null for custom servers and before a choice
 * @param error      the provider's message when the catalog could not be read
 */
public record CatalogView(@Nullable String accountId, @Nullable ProviderCatalog catalog, @Nullable String error, String region,
                          String size, String image, Map<String, String> errors) {

    public static CatalogView withoutAccount(String image, Map<String, String> errors) {
        return new CatalogView(null, null, null, "", "", image, errors);
    }

    public boolean cloud() {
        return accountId != null;
    }

    public boolean unavailable() {
        return accountId != null && catalog == null;
    }

    public List<Region> regions() {
        return catalog == null ? List.of() : catalog.regions();
    }

    /** The region shown as chosen: the one asked for when the catalog has it, else the first. */
    public String chosenRegion() {
        if (catalog == null) {
            return region;
        }
        return catalog.region(region).map(Region::id).orElse(catalog.regions().isEmpty() ? "" : catalog.regions().getFirst().id());
    }

    public List<Size> sizes() {
        return catalog == null ? List.of() : catalog.sizesIn(chosenRegion());
    }

    /** For a cloud account the systems it has images of; otherwise every supported one. */
    public List<OsImage> images() {
        if (catalog == null) {
            return cloud() ? List.of() : Arrays.asList(OsImage.values());
        }
        return Arrays.stream(OsImage.values()).filter(os -> catalog.image(os).isPresent()).toList();
    }

    public String catalogUrl() {
        return accountId == null ? "" : ProvidersController.catalog(accountId);
    }

    public String retryUrl() {
        return catalogUrl() + "?region=" + ServerDisplay.query(region) + "&size=" + ServerDisplay.query(size) + "&image="
                + ServerDisplay.query(image);
    }
}
