package io.vippanel.servers;

import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a provider account can create, as fetched at {@code fetchedAt} (cached for a short time). */
public record ProviderCatalog(String accountId, List<Region> regions, List<Size> sizes, List<Image> images, Instant fetchedAt) {

    public ProviderCatalog {
        regions = List.copyOf(regions);
        sizes = List.copyOf(sizes);
        images = List.copyOf(images);
    }

    public Optional<Region> region(String id) {
        return regions.stream().filter(region -> region.id().equals(id)).findFirst();
    }

    public Optional<Size> size(String id) {
        return sizes.stream().filter(size -> size.id().equals(id)).findFirst();
    }

    public List<Size> sizesIn(String regionId) {
        return sizes.stream().filter(size -> size.offeredIn(regionId)).toList();
    }

    /** The newest image of the operating system, if the provider has one. */
    public Optional<Image> image(OsImage os) {
        return images.stream().filter(image -> image.os() == os).findFirst();
    }
}
