package io.vippanel.servers.provider;

import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Vultr API v2 as vultr.com/api documents it, for the paths the panel uses. Vultr has no action objects: a
 * power change or resize shows in the instance itself once done, after {@link #actionPolls} reads of it.
 */
final class VultrStub extends ProviderStub {

    private static final List<Map<String, Object>> REGIONS = List.of(
            region("ewr", "New Jersey", "US", "North America"), region("ams", "Amsterdam", "NL", "Europe"),
            region("fra", "Frankfurt", "DE", "Europe"), region("sgp", "Singapore", "SG", "Asia"),
            region("lax", "Los Angeles", "US", "North America"));

    private static final List<Map<String, Object>> PLANS = List.of(
            plan("vc2-1c-1gb", 1, 1024, 25, 5, 0.007, "vc2", List.of("ewr", "ams", "fra")),
            plan("vc2-2c-4gb", 2, 4096, 80, 20, 0.03, "vc2", List.of("ewr", "fra")),
            plan("vhf-1c-1gb", 1, 1024, 32, 6, null, "vhf", List.of("ewr")));

    private static final List<Map<String, Object>> OS = List.of(
            os(2284, "Ubuntu 24.04 LTS x64", "x64", "ubuntu"), os(1743, "Ubuntu 22.04 LTS x64", "x64", "ubuntu"),
            os(2136, "Debian 12 x64 (bookworm)", "x64", "debian"), os(2625, "Debian 13 x64 (trixie)", "x64", "debian"),
            os(2285, "Ubuntu 24.04 LTS arm64", "arm64", "ubuntu"), os(477, "Debian 11 x64 (bullseye)", "x64", "debian"),
            os(124, "Windows 2016 Standard x64", "x64", "windows"));

    /** The action running on each instance, finished by reading the instance. */
    private final Map<String, StubAction> running = new LinkedHashMap<>();

    VultrStub() {
        super("/v2", new Facts("Invalid API token.", "Instance not found.", "Plan is not available in the selected region.",
                new VmSpec("web-1", "fra", "vc2-1c-1gb", "2284", List.of("3b8066a7-b438-455a-9688-44afc9a3597f"),
                        Map.of("vip-server", "42", "owner", "Anna's shop!")),
                "vc2-2c-4gb", new VmSpec("web-2", "ams", "vc2-2c-4gb", "2284", List.of(), Map.of()),
                "/regions", "/instances/[\\w-]+"));
        server.on("GET", "/account", r -> Reply.json(200, Map.of("account", Map.of("name", "Example Account",
                        "email", "admin@example.com", "acls", List.of("manage_users", "subscriptions"), "balance", -5519.11,
                        "pending_charges", 57.03, "last_payment_date", "2014-07-18 15:31:01",
                        "last_payment_amount", -1.00))))
                .on("GET", "/regions", r -> page(r, "regions", REGIONS))
                .on("GET", "/plans", r -> page(r, "plans", PLANS))
                .on("GET", "/os", r -> page(r, "os", OS))
                .on("POST", "/ssh-keys", this::createKey)
                .on("DELETE", "/ssh-keys/(?<id>[\\w-]+)", r -> keys.remove(r.group("id")) == null ? notFound() : Reply.noContent())
                .on("POST", "/instances", this::createInstance)
                .on("GET", "/instances/(?<id>[\\w-]+)", r -> {
                    StubVm vm = read(r.group("id"));
                    return vm == null ? notFound() : Reply.json(200, Map.of("instance", instance(vm)));
                })
                .on("POST", "/instances/(?<id>[\\w-]+)/reboot", r -> change(r.group("id"), "rebooting", vm -> vm.state = "running"))
                .on("POST", "/instances/halt", r -> changeAll(r, vm -> vm.state = "off"))
                .on("POST", "/instances/start", r -> changeAll(r, vm -> vm.state = "running"))
                .on("PATCH", "/instances/(?<id>[\\w-]+)", this::changePlan)
                .on("DELETE", "/instances/(?<id>[\\w-]+)", r -> vms.remove(r.group("id")) == null ? notFound() : Reply.noContent());
    }

    @Override
    Reply error(int status, String code, String message) {
        return Reply.json(status, Map.of("error", message, "status", status));
    }

    @Override
    String newId() {
        return UUID.randomUUID().toString();
    }

    /** Reading an instance advances the action running on it. */
    @Override
    synchronized @Nullable StubVm read(String id) {
        StubAction action = running.get(id);
        if (action != null && !poll(action.id).status.equals("running") && action.failure == null) {
            running.remove(id);
        }
        return super.read(id);
    }

    private Reply page(Request request, String name, List<Map<String, Object>> all) {
        int perPage = perPage(request);
        String cursor = request.query().get("cursor");
        int from = cursor == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(cursor),
                StandardCharsets.UTF_8).substring("next__".length()));
        int to = Math.min(all.size(), from + perPage);
        String next = to < all.size()
                ? Base64.getEncoder().encodeToString(("next__" + to).getBytes(StandardCharsets.UTF_8))
                : "";
        return Reply.json(200, Map.of(name, all.subList(from, to), "meta", Map.of("total", all.size(),
                "links", Map.of("next", next, "prev", ""))));
    }

    private Reply createKey(Request request) {
        String id = newId();
        String name = text(request.body(), "name");
        keys.put(id, name);
        return Reply.json(201, Map.of("ssh_key", Map.of("id", id, "date_created", "2020-10-10T01:56:20+00:00",
                "name", name, "ssh_key", text(request.body(), "ssh_key"))));
    }

    private Reply createInstance(Request request) {
        var body = request.body();
        String plan = text(body, "plan");
        String region = text(body, "region");
        if (!offered(plan, region)) {
            return error(400, "", facts.sizeNotInRegionMessage());
        }
        StubVm vm = new StubVm(newId(), text(body, "label"), region, plan, body.path("os_id").asString(),
                texts(body, "sshkey_id"), Map.of());
        vms.put(vm.id, vm);
        return Reply.json(202, Map.of("instance", instance(vm)));
    }

    private Reply change(String id, String meanwhile, Consumer<StubVm> effect) {
        StubVm vm = vms.get(id);
        if (vm == null) {
            return notFound();
        }
        startOn(vm, meanwhile, effect);
        return Reply.noContent();
    }

    private Reply changeAll(Request request, Consumer<StubVm> effect) {
        List<String> ids = texts(request.body(), "instance_ids");
        if (ids.isEmpty() || !vms.keySet().containsAll(ids)) {
            return error(400, "", "Invalid instance_ids.");
        }
        ids.forEach(id -> startOn(vms.get(id), vms.get(id).state, effect));
        return Reply.noContent();
    }

    private Reply changePlan(Request request) {
        StubVm vm = vms.get(request.group("id"));
        if (vm == null) {
            return notFound();
        }
        String plan = text(request.body(), "plan");
        if (!offered(plan, vm.region)) {
            return error(400, "", facts.sizeNotInRegionMessage());
        }
        startOn(vm, "resizing", v -> {
            v.size = plan;
            v.state = "running";
        });
        return Reply.json(202, Map.of("instance", instance(vm)));
    }

    private synchronized void startOn(StubVm vm, String meanwhile, Consumer<StubVm> effect) {
        running.put(vm.id, startAction(meanwhile, vm.id, () -> effect.accept(vm)));
        vm.state = meanwhile;
    }

    private static boolean offered(String plan, String region) {
        return PLANS.stream().anyMatch(p -> p.get("id").equals(plan) && ((List<?>) p.get("locations")).contains(region));
    }

    private Map<String, Object> instance(StubVm vm) {
        boolean booted = !vm.state.equals("starting");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", vm.id);
        json.put("os", "Ubuntu 24.04 LTS x64");
        json.put("ram", 1024);
        json.put("disk", 0);
        json.put("main_ip", booted ? "45.77.1." + (Math.abs(vm.id.hashCode()) % 250) : "0.0.0.0");
        json.put("vcpu_count", 1);
        json.put("region", vm.region);
        json.put("plan", vm.size);
        json.put("date_created", "2020-10-10T01:56:20+00:00");
        json.put("status", switch (vm.state) {
            case "starting" -> "pending";
            case "resizing" -> "resizing";
            default -> "active";
        });
        json.put("allowed_bandwidth", 2000);
        json.put("netmask_v4", "255.255.254.0");
        json.put("gateway_v4", "45.77.0.1");
        json.put("power_status", switch (vm.state) {
            case "off", "rebooting" -> "stopped";
            default -> "running";
        });
        json.put("server_status", booted ? "ok" : "none");
        json.put("v6_network", booted ? "2001:19f0:6c01:1b8f::" : "");
        json.put("v6_main_ip", booted ? "2001:19f0:6c01:1b8f:5400:04ff:fe2b:1234" : "");
        json.put("v6_network_size", booted ? 64 : 0);
        json.put("label", vm.name);
        json.put("internal_ip", "");
        json.put("kvm", "https://my.vultr.com/subs/vps/novnc/api.php?data=djJ8");
        json.put("hostname", vm.name);
        json.put("os_id", Integer.parseInt(vm.image));
        json.put("app_id", 0);
        json.put("image_id", "");
        json.put("firewall_group_id", "");
        json.put("features", List.of("ipv6"));
        json.put("tags", List.of());
        return json;
    }

    private static Map<String, Object> region(String id, String city, String country, String continent) {
        return Map.of("id", id, "city", city, "country", country, "continent", continent,
                "options", List.of("ddos_protection"));
    }

    private static Map<String, Object> plan(String id, int vcpus, int ram, int disk, int monthly, @Nullable Double hourly,
                                            String type, List<String> locations) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("id", id);
        plan.put("vcpu_count", vcpus);
        plan.put("ram", ram);
        plan.put("disk", disk);
        plan.put("disk_count", 1);
        plan.put("bandwidth", 1024);
        plan.put("monthly_cost", monthly);
        if (hourly != null) {
            plan.put("hourly_cost", hourly);
        }
        plan.put("type", type);
        plan.put("locations", locations);
        return plan;
    }

    private static Map<String, Object> os(int id, String name, String arch, String family) {
        return Map.of("id", id, "name", name, "arch", arch, "family", family);
    }
}
