package io.vippanel.servers.internal.provider.digitalocean;

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
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.AccountAnswer;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Action;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.ActionAnswer;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Droplet;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.DropletAnswer;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Images;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Links;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Network;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.NewDroplet;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.NewSshKey;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.PowerAction;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Regions;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.ResizeAction;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.Sizes;
import io.vippanel.servers.internal.provider.digitalocean.DigitalOceanJson.SshKeyAnswer;
import io.vippanel.servers.internal.provider.http.Labels;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One DigitalOcean account's API. Power and size changes are droplet actions, polled via {@code GET /actions/{id}}
 * until {@code completed} or {@code errored}; a resize needs the droplet off, so {@link #resize} powers it off and
 * on around it. Labels become tags {@code key:value}, the only place a droplet keeps them.
 */
final class DigitalOceanCloud implements CloudProvider {

    private static final String PAGE = "page";
    private static final String TAG_TEXT = "[a-zA-Z0-9:_-]";
    private static final int TAG_LENGTH = 255;
    private static final Map<String, OsImage> IMAGES = Map.of(
            "ubuntu-22-04-x64", OsImage.UBUNTU_22_04,
            "ubuntu-24-04-x64", OsImage.UBUNTU_24_04,
            "debian-12-x64", OsImage.DEBIAN_12,
            "debian-13-x64", OsImage.DEBIAN_13);
    /** DigitalOcean names regions by city; their slugs start with the city's code. */
    private static final Map<String, String> COUNTRIES = Map.of(
            "nyc", "US", "sfo", "US", "atl", "US", "ams", "NL", "sgp", "SG", "lon", "GB", "fra", "DE",
            "tor", "CA", "blr", "IN", "syd", "AU");

    private final ProviderHttp http;

    DigitalOceanCloud(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.DIGITALOCEAN;
    }

    @Override
    public String verifyCredentials() {
        var account = http.get("/account", AccountAnswer.class).account();
        return "DigitalOcean account reachable (status " + Objects.requireNonNullElse(account.status(), "unknown")
                + (account.dropletLimit() == null ? "" : ", droplet limit " + account.dropletLimit()) + ")";
    }

    @Override
    public List<Region> regions() {
        return http.collect("/regions?per_page=200", PAGE, Regions.class, Regions::regions, page -> nextPage(page.links()))
                .stream()
                .filter(DigitalOceanJson.RegionItem::available)
                .map(r -> new Region(r.slug(), r.name(), COUNTRIES.get(r.slug().replaceAll("\\d+$", ""))))
                .toList();
    }

    @Override
    public List<Size> sizes() {
        return http.collect("/sizes?per_page=200", PAGE, Sizes.class, Sizes::sizes, page -> nextPage(page.links()))
                .stream()
                .filter(DigitalOceanJson.SizeItem::available)
                .map(s -> new Size(s.slug(), describe(s), s.vcpus(), s.memory(), s.disk(), s.priceMonthly(),
                        s.priceHourly(), "USD", s.regions()))
                .toList();
    }

    private static String describe(DigitalOceanJson.SizeItem size) {
        String kind = size.description() == null || size.description().isBlank() ? "Droplet" : size.description();
        return kind + " " + size.vcpus() + " vCPU, " + size.memory() / 1024.0 + " GB, " + size.disk() + " GB disk";
    }

    @Override
    public List<Image> images() {
        return http.collect("/images?type=distribution&per_page=200", PAGE, Images.class, Images::images,
                        page -> nextPage(page.links()))
                .stream()
                .filter(i -> i.slug() != null && IMAGES.containsKey(i.slug()) && !"deleted".equals(i.status()))
                .map(i -> new Image(i.slug(), IMAGES.get(i.slug()),
                        (Objects.requireNonNullElse(i.distribution(), "") + " " + Objects.requireNonNullElse(i.name(), i.slug())).strip()))
                .sorted(Comparator.comparing(Image::os).reversed())
                .toList();
    }

    @Override
    public ProviderSshKey uploadSshKey(String name, String openSshPublicKey) {
        var key = http.post("/account/keys", new NewSshKey(name, openSshPublicKey.strip()), SshKeyAnswer.class).sshKey();
        return new ProviderSshKey(Long.toString(key.id()), key.fingerprint());
    }

    @Override
    public void deleteSshKey(String providerKeyId) {
        http.deleteIfPresent("/account/keys/" + id(providerKeyId));
    }

    @Override
    public Vm createVm(VmSpec spec) {
        NewDroplet request = new NewDroplet(spec.name(), spec.region(), spec.size(), spec.image(),
                spec.sshKeyIds().stream().map(DigitalOceanCloud::id).toList(), true,
                Labels.tags(spec.labels(), TAG_TEXT, TAG_LENGTH));
        return vm(http.post("/droplets", request, DropletAnswer.class).droplet());
    }

    @Override
    public Optional<Vm> findVm(String vmId) {
        return http.find("/droplets/" + id(vmId), DropletAnswer.class).map(answer -> vm(answer.droplet()));
    }

    @Override
    public void reboot(String vmId) {
        dropletAction(vmId, new PowerAction("reboot"));
    }

    @Override
    public void powerOff(String vmId) {
        dropletAction(vmId, new PowerAction("power_off"));
    }

    @Override
    public void powerOn(String vmId) {
        dropletAction(vmId, new PowerAction("power_on"));
    }

    @Override
    public void resize(String vmId, String sizeId) {
        boolean running = findVm(vmId).map(vm -> vm.state() != VmState.OFF).orElse(true);
        if (running) {
            powerOff(vmId);
        }
        dropletAction(vmId, new ResizeAction("resize", sizeId, false));
        powerOn(vmId);
    }

    @Override
    public void deleteVm(String vmId) {
        http.deleteIfPresent("/droplets/" + id(vmId));
    }

    private void dropletAction(String vmId, Object body) {
        Action started = http.post("/droplets/" + id(vmId) + "/actions", body, ActionAnswer.class).action();
        String what = Objects.requireNonNullElse(started.type(), "droplet") + " action " + started.id()
                + " of droplet " + vmId;
        Action done = http.await(what, () -> {
            Action action = http.get("/actions/" + started.id(), ActionAnswer.class).action();
            return "in-progress".equals(action.status()) ? null : action;
        });
        if (!"completed".equals(done.status())) {
            throw http.actionFailed(what, null, "DigitalOcean reports it " + done.status());
        }
    }

    private static Vm vm(Droplet droplet) {
        return new Vm(Long.toString(droplet.id()), droplet.name(), state(droplet.status()),
                publicAddress(droplet.networks() == null ? null : droplet.networks().v4()),
                publicAddress(droplet.networks() == null ? null : droplet.networks().v6()),
                droplet.region() == null ? null : droplet.region().slug(), droplet.sizeSlug(), "root");
    }

    private static @Nullable String publicAddress(@Nullable List<Network> networks) {
        return networks == null ? null : networks.stream()
                .filter(n -> "public".equals(n.type()) && n.ipAddress() != null)
                .map(Network::ipAddress)
                .findFirst()
                .orElse(null);
    }

    private static VmState state(String status) {
        return switch (status) {
            case "new" -> VmState.STARTING;
            case "active" -> VmState.RUNNING;
            case "off" -> VmState.OFF;
            case "archive" -> VmState.DELETING;
            default -> VmState.UNKNOWN;
        };
    }

    /** The {@code page} of {@code links.pages.next}; only the page is taken, never the host the link names. */
    private static @Nullable String nextPage(@Nullable Links links) {
        if (links == null || links.pages() == null || links.pages().next() == null) {
            return null;
        }
        return UriComponentsBuilder.fromUriString(links.pages().next()).build().getQueryParams().getFirst(PAGE);
    }

    private static long id(String id) {
        return Labels.numericId("DigitalOcean", id);
    }
}
