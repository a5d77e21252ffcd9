package io.vippanel.servers.internal.provider.hetzner;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The parts of the Hetzner Cloud API's JSON that the panel reads and sends, as documented at docs.hetzner.cloud. */
final class HetznerJson {

    private HetznerJson() {
    }

    record Meta(@Nullable Pagination pagination) {
    }

    record Pagination(@Nullable Integer nextPage) {
    }

    record Location(long id, String name, @Nullable String description, @Nullable String country,
                    @Nullable String city) {
    }

    record Locations(List<Location> locations, @Nullable Meta meta) {
    }

    record Price(@Nullable String net) {
    }

    record LocationPrice(String location, @Nullable Price priceHourly, @Nullable Price priceMonthly) {
    }

    record ServerType(long id, String name, @Nullable String description, int cores, double memory, int disk,
                      boolean deprecated, @Nullable Deprecation deprecation, @Nullable List<LocationPrice> prices) {

        /** Hetzner announces a deprecation in {@code deprecation} and later sets {@code deprecated}. */
        boolean orderable() {
            return !deprecated && deprecation == null;
        }
    }

    record Deprecation(@Nullable String announced, @Nullable String unavailableAfter) {
    }

    record ServerTypes(List<ServerType> serverTypes, @Nullable Meta meta) {
    }

    record ImageItem(long id, @Nullable String name, @Nullable String description, @Nullable String status,
                     @Nullable String architecture, @Nullable String deprecated) {
    }

    record Images(List<ImageItem> images, @Nullable Meta meta) {
    }

    record NewSshKey(String name, String publicKey) {
    }

    record SshKey(long id, String name, String fingerprint) {
    }

    record SshKeyAnswer(SshKey sshKey) {
    }

    record NewServer(String name, String serverType, String location, String image, List<Long> sshKeys,
                     Map<String, String> labels, boolean startAfterCreate) {
    }

    record Address(@Nullable String ip) {
    }

    record PublicNet(@Nullable Address ipv4, @Nullable Address ipv6) {
    }

    record NamedRef(@Nullable String name) {
    }

    record Datacenter(@Nullable String name, @Nullable NamedRef location) {
    }

    record Server(long id, String name, String status, @Nullable PublicNet publicNet, @Nullable NamedRef serverType,
                  @Nullable Datacenter datacenter) {
    }

    record ServerAnswer(Server server, @Nullable Action action) {
    }

    record ActionError(@Nullable String code, @Nullable String message) {
    }

    record Action(long id, @Nullable String command, String status, @Nullable ActionError error) {
    }

    record ActionAnswer(Action action) {
    }

    record ChangeType(String serverType, boolean upgradeDisk) {
    }

    record ErrorDetail(@Nullable String code, @Nullable String message) {
    }

    record ErrorBody(@Nullable ErrorDetail error) {
    }
}
