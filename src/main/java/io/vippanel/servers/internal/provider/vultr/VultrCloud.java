package io.vippanel.servers.internal.provider.vultr;

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
import io.vippanel.servers.internal.provider.http.Labels;
import io.vippanel.servers.internal.provider.http.ProviderHttp;
import io.vippanel.servers.internal.provider.vultr.VultrJson.AccountAnswer;
import io.vippanel.servers.internal.provider.vultr.VultrJson.Instance;
import io.vippanel.servers.internal.provider.vultr.VultrJson.InstanceAnswer;
import io.vippanel.servers.internal.provider.vultr.VultrJson.InstanceIds;
import io.vippanel.servers.internal.provider.vultr.VultrJson.Meta;
import io.vippanel.servers.internal.provider.vultr.VultrJson.NewInstance;
import io.vippanel.servers.internal.provider.vultr.VultrJson.NewSshKey;
import io.vippanel.servers.internal.provider.vultr.VultrJson.Os;
import io.vippanel.servers.internal.provider.vultr.VultrJson.OsList;
import io.vippanel.servers.internal.provider.vultr.VultrJson.PlanChange;
import io.vippanel.servers.internal.provider.vultr.VultrJson.Plans;
import io.vippanel.servers.internal.provider.vultr.VultrJson.Regions;
import io.vippanel.servers.internal.provider.vultr.VultrJson.SshKeyAnswer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One Vultr account's API. Vultr has no action objects: power changes and resizes are followed by reading the
 * instance until it shows the wanted state, bounded by {@code actionTimeout}. Vultr reports no key fingerprint, so
 * the OpenSSH SHA256 fingerprint is computed from the key.
 */
final class VultrCloud implements CloudProvider {

    private static final String CURSOR = "cursor";
    private static final String TAG_TEXT = "[a-zA-Z0-9:._-]";
    private static final int TAG_LENGTH = 255;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final ProviderHttp http;

    VultrCloud(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.VULTR;
    }

    @Override
    public String verifyCredentials() {
        var account = http.get("/account", AccountAnswer.class).account();
        return "Vultr account reachable" + (account.name() == null || account.name().isBlank() ? "" : " (" + account.name() + ")");
    }

    @Override
    public List<Region> regions() {
        return http.collect("/regions?per_page=500", CURSOR, Regions.class, Regions::regions, page -> next(page.meta()))
                .stream()
                .map(r -> new Region(r.id(), Objects.requireNonNullElse(r.city(), r.id()), r.country()))
                .toList();
    }

    @Override
    public List<Size> sizes() {
        return http.collect("/plans?per_page=500", CURSOR, Plans.class, Plans::plans, page -> next(page.meta()))
                .stream()
                .map(p -> new Size(p.id(), describe(p), p.vcpuCount(), p.ram(), p.disk(), p.monthlyCost(),
                        p.hourlyCost(), "USD", p.locations() == null ? List.of() : p.locations()))
                .toList();
    }

    private static String describe(VultrJson.Plan plan) {
        return (plan.type() == null ? "" : plan.type() + " ") + plan.vcpuCount() + " vCPU, " + plan.ram() / 1024.0
                + " GB, " + plan.disk() + " GB disk";
    }

    @Override
    public List<Image> images() {
        return http.collect("/os?per_page=500", CURSOR, OsList.class, OsList::os, page -> next(page.meta()))
                .stream()
                .flatMap(os -> osImage(os).map(image -> new Image(Integer.toString(os.id()), image, os.name())).stream())
                .sorted(Comparator.comparing(Image::os).reversed())
                .toList();
    }

    /** {@code Ubuntu 24.04 LTS x64} and {@code Debian 12 x64 (bookworm)}, family {@code ubuntu}/{@code debian}. */
    private static Optional<OsImage> osImage(Os os) {
        if (os.arch() != null && !os.arch().equals("x64")) {
            return Optional.empty();
        }
        String name = os.name().toLowerCase(Locale.ROOT);
        for (OsImage image : OsImage.values()) {
            if (image.distribution().equals(os.family()) && name.startsWith(image.distribution() + " " + image.version() + " ")) {
                return Optional.of(image);
            }
        }
        return Optional.empty();
    }

    @Override
    public ProviderSshKey uploadSshKey(String name, String openSshPublicKey) {
        String key = openSshPublicKey.strip();
        String fingerprint = fingerprint(key);
        var uploaded = http.post("/ssh-keys", new NewSshKey(name, key), SshKeyAnswer.class).sshKey();
        return new ProviderSshKey(uploaded.id(), fingerprint);
    }

    /**
     * OpenSSH's {@code SHA256:} fingerprint of a public key line ({@code ssh-ed25519 AAAA... comment}).
     *
     * @throws IllegalArgumentException when the line is not an OpenSSH public key
     */
    static String fingerprint(String openSshPublicKey) {
        String[] parts = openSshPublicKey.strip().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("The public key is not in OpenSSH format (type, key, comment).");
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The public key is not in OpenSSH format (its key part is not base64).", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    @Override
    public void deleteSshKey(String providerKeyId) {
        http.deleteIfPresent("/ssh-keys/" + id(providerKeyId));
    }

    @Override
    public Vm createVm(VmSpec spec) {
        NewInstance request = new NewInstance(spec.region(), spec.size(), osId(spec.image()), spec.name(), spec.name(),
                spec.sshKeyIds().stream().map(VultrCloud::id).toList(), Labels.tags(spec.labels(), TAG_TEXT, TAG_LENGTH),
                true);
        return vm(http.post("/instances", request, InstanceAnswer.class).instance());
    }

    @Override
    public Optional<Vm> findVm(String vmId) {
        return http.find("/instances/" + id(vmId), InstanceAnswer.class).map(answer -> vm(answer.instance()));
    }

    @Override
    public void reboot(String vmId) {
        http.postWithoutAnswer("/instances/" + id(vmId) + "/reboot", null);
        awaitVm(vmId, "reboot", vm -> vm.state() == VmState.RUNNING);
    }

    @Override
    public void powerOff(String vmId) {
        http.postWithoutAnswer("/instances/halt", new InstanceIds(List.of(id(vmId))));
        awaitVm(vmId, "power off", vm -> vm.state() == VmState.OFF);
    }

    @Override
    public void powerOn(String vmId) {
        http.postWithoutAnswer("/instances/start", new InstanceIds(List.of(id(vmId))));
        awaitVm(vmId, "power on", vm -> vm.state() == VmState.RUNNING);
    }

    /** Vultr resizes a running instance itself (with a reboot); done when it runs with the new plan. */
    @Override
    public void resize(String vmId, String sizeId) {
        http.patch("/instances/" + id(vmId), new PlanChange(sizeId));
        awaitVm(vmId, "resize to " + sizeId, vm -> sizeId.equals(vm.size()) && vm.state() == VmState.RUNNING);
    }

    @Override
    public void deleteVm(String vmId) {
        http.deleteIfPresent("/instances/" + id(vmId));
    }

    private void awaitVm(String vmId, String what, Predicate<Vm> done) {
        http.await(what + " of instance " + vmId, () -> {
            Vm vm = findVm(vmId).orElseThrow(() -> http.actionFailed(what + " of instance " + vmId, null,
                    "the instance disappeared"));
            return done.test(vm) ? vm : null;
        });
    }

    private static Vm vm(Instance instance) {
        return new Vm(instance.id(), Objects.requireNonNullElse(instance.label(),
                Objects.requireNonNullElse(instance.hostname(), instance.id())),
                state(instance.status(), instance.powerStatus()), address(instance.mainIp()), address(instance.v6MainIp()),
                instance.region(), instance.plan(), "root");
    }

    private static VmState state(@Nullable String status, @Nullable String powerStatus) {
        if ("pending".equals(status)) {
            return VmState.STARTING;
        }
        if ("stopped".equals(powerStatus)) {
            return VmState.OFF;
        }
        if ("active".equals(status) && "running".equals(powerStatus)) {
            return VmState.RUNNING;
        }
        return VmState.UNKNOWN;
    }

    /** Vultr reports {@code 0.0.0.0} (or an empty v6 address) until it has assigned one. */
    private static @Nullable String address(@Nullable String ip) {
        return ip == null || ip.isBlank() || ip.equals("0.0.0.0") || ip.equals("::") ? null : ip;
    }

    private static @Nullable String next(@Nullable Meta meta) {
        return meta == null || meta.links() == null ? null : meta.links().next();
    }

    private static int osId(String image) {
        try {
            return Integer.parseInt(image.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Vultr image [" + image + "] is not an os id");
        }
    }

    /** Vultr ids are UUIDs; anything else cannot name an instance or key and must not reach a URL path. */
    private static String id(String id) {
        String trimmed = id.strip();
        if (!ID.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("Vultr id [" + id + "] is not a Vultr id");
        }
        return trimmed;
    }
}
