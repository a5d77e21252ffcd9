package io.vippanel.servers.internal.provider.hetzner;

import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.Image;
import io.vippanel.servers.internal.provider.ProviderSshKey;
import io.vippanel.servers.internal.provider.Region;
import io.vippanel.servers.internal.provider.Size;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.internal.provider.VmState;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Action;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ActionAnswer;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ChangeType;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ImageItem;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Images;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.LocationPrice;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Locations;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Meta;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.NewServer;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.NewSshKey;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Price;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.Server;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ServerAnswer;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ServerType;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.ServerTypes;
import io.vippanel.servers.internal.provider.hetzner.HetznerJson.SshKeyAnswer;
import io.vippanel.servers.internal.provider.http.Labels;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One Hetzner Cloud project's API. Power and size changes are Hetzner actions, polled via {@code GET /actions/{id}}
 * until {@code success} or {@code error}; a size change needs the server off, so {@link #resize} powers it off
 * and on around {@code change_type}.
 */
final class HetznerCloud implements CloudProvider {

    private static final String PAGE = "page";
    private static final String LABEL_TEXT = "[a-zA-Z0-9._-]";
    private static final int LABEL_LENGTH = 63;
    private static final Map<String, OsImage> IMAGES = Map.of(
            "ubuntu-22.04", OsImage.UBUNTU_22_04,
            "ubuntu-24.04", OsImage.UBUNTU_24_04,
            "debian-12", OsImage.DEBIAN_12,
            "debian-13", OsImage.DEBIAN_13);

    private final ProviderHttp http;

    HetznerCloud(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.HETZNER;
    }

    @Override
    public String verifyCredentials() {
        int locations = regions().size();
        return "Hetzner Cloud project reachable, " + locations + (locations == 1 ? " location" : " locations");
    }

    @Override
    public List<Region> regions() {
        return http.collect("/locations?per_page=50", PAGE, Locations.class, Locations::locations,
                        page -> nextPage(page.meta()))
                .stream()
                .map(l -> new Region(l.name(), l.city() != null ? l.city() : Objects.requireNonNullElse(l.description(), l.name()),
                        l.country()))
                .toList();
    }

    @Override
    public List<Size> sizes() {
        return http.collect("/server_types?per_page=50", PAGE, ServerTypes.class, ServerTypes::serverTypes,
                        page -> nextPage(page.meta()))
                .stream()
                .filter(ServerType::orderable)
                .map(HetznerCloud::size)
                .toList();
    }

    /** Prices differ by location; the size shows the lowest, as Hetzner's own price list does ("from"). */
    private static Size size(ServerType type) {
        List<LocationPrice> prices = type.prices() == null ? List.of() : type.prices();
        Optional<LocationPrice> cheapest = prices.stream()
                .filter(p -> amount(p.priceMonthly()) != null)
                .min(Comparator.comparing(p -> Objects.requireNonNull(amount(p.priceMonthly()))));
        return new Size(type.name(), Objects.requireNonNullElse(type.description(), type.name()), type.cores(),
                (int) Math.round(type.memory() * 1024), type.disk(),
                cheapest.map(p -> amount(p.priceMonthly())).orElse(null),
                cheapest.map(p -> amount(p.priceHourly())).orElse(null),
                "EUR", prices.stream().map(LocationPrice::location).distinct().toList());
    }

    private static @Nullable BigDecimal amount(@Nullable Price price) {
        return price == null || price.net() == null || price.net().isBlank()
                ? null
                : new BigDecimal(price.net()).stripTrailingZeros();
    }

    @Override
    public List<Image> images() {
        Map<String, Image> byName = new LinkedHashMap<>();
        for (ImageItem image : http.collect("/images?type=system&per_page=50", PAGE, Images.class, Images::images,
                page -> nextPage(page.meta()))) {
            OsImage os = image.name() == null ? null : IMAGES.get(image.name());
            if (os != null && image.deprecated() == null && !"unavailable".equals(image.status())) {
                // One entry per name: Hetzner picks the x86 or arm image from the server type's architecture.
                byName.putIfAbsent(image.name(), new Image(image.name(), os,
                        Objects.requireNonNullElse(image.description(), image.name())));
            }
        }
        return byName.values().stream().sorted(Comparator.comparing(Image::os).reversed()).toList();
    }

    @Override
    public ProviderSshKey uploadSshKey(String name, String openSshPublicKey) {
        var key = http.post("/ssh_keys", new NewSshKey(name, openSshPublicKey.strip()), SshKeyAnswer.class).sshKey();
        return new ProviderSshKey(Long.toString(key.id()), key.fingerprint());
    }

    @Override
    public void deleteSshKey(String providerKeyId) {
        http.deleteIfPresent("/ssh_keys/" + id(providerKeyId));
    }

    @Override
    public Vm createVm(VmSpec spec) {
        NewServer request = new NewServer(spec.name(), spec.size(), spec.region(), spec.image(),
                spec.sshKeyIds().stream().map(HetznerCloud::id).toList(), labels(spec.labels()), true);
        return vm(http.post("/servers", request, ServerAnswer.class).server());
    }

    @Override
    public Optional<Vm> findVm(String vmId) {
        return http.find("/servers/" + id(vmId), ServerAnswer.class).map(answer -> vm(answer.server()));
    }

    @Override
    public void reboot(String vmId) {
        serverAction(vmId, "reboot", null);
    }

    @Override
    public void powerOff(String vmId) {
        serverAction(vmId, "poweroff", null);
    }

    @Override
    public void powerOn(String vmId) {
        serverAction(vmId, "poweron", null);
    }

    @Override
    public void resize(String vmId, String sizeId) {
        boolean running = findVm(vmId).map(vm -> vm.state() != VmState.OFF).orElse(true);
        if (running) {
            powerOff(vmId);
        }
        serverAction(vmId, "change_type", new ChangeType(sizeId, false));
        powerOn(vmId);
    }

    @Override
    public void deleteVm(String vmId) {
        http.deleteIfPresent("/servers/" + id(vmId));
    }

    private void serverAction(String vmId, String command, @Nullable Object body) {
        Action started = http.post("/servers/" + id(vmId) + "/actions/" + command, body, ActionAnswer.class).action();
        String what = command + " action " + started.id() + " of server " + vmId;
        Action done = http.await(what, () -> {
            Action action = http.get("/actions/" + started.id(), ActionAnswer.class).action();
            return "running".equals(action.status()) ? null : action;
        });
        if (!"success".equals(done.status())) {
            throw http.actionFailed(what, done.error() == null ? null : done.error().code(),
                    done.error() == null ? "status " + done.status() : done.error().message());
        }
    }

    private static Vm vm(Server server) {
        String ipv4 = null;
        String ipv6 = null;
        if (server.publicNet() != null) {
            ipv4 = server.publicNet().ipv4() == null ? null : server.publicNet().ipv4().ip();
            ipv6 = server.publicNet().ipv6() == null ? null : firstAddress(server.publicNet().ipv6().ip());
        }
        String location = server.datacenter() == null || server.datacenter().location() == null
                ? null
                : server.datacenter().location().name();
        return new Vm(Long.toString(server.id()), server.name(), state(server.status()), ipv4, ipv6, location,
                server.serverType() == null ? null : server.serverType().name(), "root");
    }

    private static VmState state(String status) {
        return switch (status) {
            case "initializing", "starting" -> VmState.STARTING;
            case "running" -> VmState.RUNNING;
            case "off", "stopping" -> VmState.OFF;
            case "deleting" -> VmState.DELETING;
            default -> VmState.UNKNOWN;
        };
    }

    /** Hetzner assigns a /64 ({@code 2a01:4f8:1c1c:abcd::/64}); its first address {@code ::1} is the server's. */
    static @Nullable String firstAddress(@Nullable String network) {
        if (network == null || network.isBlank()) {
            return null;
        }
        int slash = network.indexOf('/');
        if (slash < 0) {
            return network;
        }
        String prefix = network.substring(0, slash);
        return prefix.endsWith("::") ? prefix + "1" : prefix;
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> sanitized = new LinkedHashMap<>();
        labels.forEach((key, value) -> {
            String name = Labels.sanitize(key, LABEL_TEXT, LABEL_LENGTH);
            if (!name.isEmpty()) {
                sanitized.put(name, Labels.sanitize(value, LABEL_TEXT, LABEL_LENGTH));
            }
        });
        return sanitized;
    }

    private static @Nullable String nextPage(@Nullable Meta meta) {
        return meta == null || meta.pagination() == null || meta.pagination().nextPage() == null
                ? null
                : meta.pagination().nextPage().toString();
    }

    private static long id(String id) {
        return Labels.numericId("Hetzner", id);
    }
}
