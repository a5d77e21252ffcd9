package io.vippanel.servers.internal.provider.digitalocean;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parts of the DigitalOcean API's JSON that the panel reads and sends, as documented at docs.digitalocean.com. */
final class DigitalOceanJson {

    private DigitalOceanJson() {
    }

    record Pages(@Nullable String next) {
    }

    record Links(@Nullable Pages pages) {
    }

    record Account(@Nullable Integer dropletLimit, @Nullable String email, @Nullable String status) {
    }

    record AccountAnswer(Account account) {
    }

    record RegionItem(String slug, String name, boolean available) {
    }

    record Regions(List<RegionItem> regions, @Nullable Links links) {
    }

    record SizeItem(String slug, int memory, int vcpus, int disk, @Nullable BigDecimal priceMonthly,
                    @Nullable BigDecimal priceHourly, List<String> regions, boolean available,
                    @Nullable String description) {
    }

    record Sizes(List<SizeItem> sizes, @Nullable Links links) {
    }

    record ImageItem(long id, @Nullable String name, @Nullable String distribution, @Nullable String slug,
                     @Nullable String status) {
    }

    record Images(List<ImageItem> images, @Nullable Links links) {
    }

    record NewSshKey(String name, String publicKey) {
    }

    record SshKey(long id, String name, String fingerprint) {
    }

    record SshKeyAnswer(SshKey sshKey) {
    }

    record NewDroplet(String name, String region, String size, String image, List<Long> sshKeys, boolean ipv6,
                      List<String> tags) {
    }

    record Network(@Nullable String ipAddress, @Nullable String type) {
    }

    record Networks(@Nullable List<Network> v4, @Nullable List<Network> v6) {
    }

    record SlugRef(@Nullable String slug) {
    }

    record Droplet(long id, String name, String status, @Nullable Networks networks, @Nullable SlugRef region,
                   @Nullable String sizeSlug) {
    }

    record DropletAnswer(Droplet droplet) {
    }

    record PowerAction(String type) {
    }

    record ResizeAction(String type, String size, boolean disk) {
    }

    record Action(long id, String status, @Nullable String type) {
    }

    record ActionAnswer(Action action) {
    }

    record ErrorBody(@Nullable String id, @Nullable String message, @Nullable String requestId) {
    }
}
