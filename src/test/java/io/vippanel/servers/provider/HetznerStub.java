package io.vippanel.servers.provider;

import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Hetzner Cloud API v1 as docs.hetzner.cloud documents it, for the paths the panel uses. */
final class HetznerStub extends ProviderStub {

    private static final List<Map<String, Object>> LOCATIONS = List.of(
            location(1, "fsn1", "Falkenstein DC Park 1", "DE", "Falkenstein"),
            location(2, "nbg1", "Nuremberg DC Park 1", "DE", "Nuremberg"),
            location(3, "hel1", "Helsinki DC Park 1", "FI", "Helsinki"),
            location(4, "ash", "Ashburn, VA", "US", "Ashburn, VA"),
            location(5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR"));

    private static final List<Map<String, Object>> SERVER_TYPES = List.of(
            serverType(104, "cx22", "CX22", 2, 4.0, 40, false, Map.of("fsn1", "3.7900", "nbg1", "3.7900", "hel1", "3.7900")),
            serverType(105, "cx32", "CX32", 4, 8.0, 80, false, Map.of("fsn1", "6.8000", "nbg1", "6.8000")),
            serverType(1, "cx11", "CX11", 1, 2.0, 20, true, Map.of("fsn1", "3.2900")),
            serverType(22, "cpx11", "CPX11", 2, 2.0, 40, false, Map.of("ash", "5.1900", "fsn1", "4.3500")),
            serverType(45, "cax11", "CAX11", 2, 4.0, 40, false, Map.of("fsn1", "3.7900")));

    private static final List<Map<String, Object>> IMAGES = List.of(
            image(161547269, "ubuntu-24.04", "Ubuntu 24.04", "x86", null),
            image(103908130, "ubuntu-24.04", "Ubuntu 24.04", "arm", null),
            image(67794396, "ubuntu-22.04", "Ubuntu 22.04", "x86", null),
            image(114690387, "debian-12", "Debian 12", "x86", null),
            image(245170523, "debian-13", "Debian 13", "x86", null),
            image(45557056, "debian-11", "Debian 11", "x86", "2024-08-01T00:00:00+00:00"),
            image(59752342, "centos-stream-9", "CentOS Stream 9", "x86", null));

    /** When set, the VMs' public IPv4 address (a test host), instead of a made-up one. */
    volatile @Nullable String publicIpv4;
    /** When set, the next create is refused with this error (e.g. a project limit), once. */
    volatile @Nullable Reply refuseNextCreate;
    /** Called with the public keys a new VM accepts, as cloud-init would install them for root. */
    volatile Consumer<List<String>> onCreate = keys -> { };
    /** The public keys uploaded, by id. */
    final Map<String, String> publicKeys = new java.util.concurrent.ConcurrentHashMap<>();

    HetznerStub() {
        super("/v1", new Facts("unable to authenticate", "server not found", "unsupported location for server type",
                new VmSpec("web-1", "fsn1", "cx22", "ubuntu-24.04", List.of("4711"),
                        Map.of("vip-server", "42", "owner", "Anna's shop!")),
                "cx32", new VmSpec("web-2", "ash", "cx32", "ubuntu-24.04", List.of(), Map.of()),
                "/locations", "/actions/\\d+"));
        server.on("GET", "/locations", r -> page(r, "locations", LOCATIONS))
                .on("GET", "/server_types", r -> page(r, "server_types", SERVER_TYPES))
                .on("GET", "/images", r -> "system".equals(r.query().get("type"))
                        ? page(r, "images", IMAGES)
                        : error(400, "invalid_input", "invalid input in field 'type'"))
                .on("POST", "/ssh_keys", this::createKey)
                .on("DELETE", "/ssh_keys/(?<id>\\d+)", r -> keys.remove(r.group("id")) == null ? notFound() : Reply.noContent())
                .on("POST", "/servers", this::createServer)
                .on("GET", "/servers/(?<id>\\d+)", r -> {
                    StubVm vm = read(r.group("id"));
                    return vm == null ? notFound() : Reply.json(200, Map.of("server", server(vm)));
                })
                .on("POST", "/servers/(?<id>\\d+)/actions/(?<command>[a-z_]+)", this::serverAction)
                .on("DELETE", "/servers/(?<id>\\d+)", r -> {
                    StubVm vm = vms.remove(r.group("id"));
                    return vm == null ? notFound() : Reply.json(200, Map.of("action", action(startAction("delete_server", vm.id, () -> { }))));
                })
                .on("GET", "/actions/(?<id>\\d+)", r -> {
                    StubAction action = poll(Long.parseLong(r.group("id")));
                    return action == null ? notFound() : Reply.json(200, Map.of("action", action(action)));
                });
    }

    @Override
    Reply error(int status, String code, String message) {
        Reply reply = Reply.json(status, Map.of("error", Map.of("code", code, "message", message, "details", Map.of())));
        return status == 429 ? rateLimited(reply, Instant.now()) : reply;
    }

    private Reply page(Request request, String name, List<Map<String, Object>> all) {
        int page = request.intQuery("page", 1);
        int perPage = perPage(request);
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page", page);
        pagination.put("per_page", perPage);
        pagination.put("previous_page", page > 1 ? page - 1 : null);
        pagination.put("next_page", page < last ? page + 1 : null);
        pagination.put("last_page", last);
        pagination.put("total_entries", all.size());
        return Reply.json(200, Map.of(name, StubServer.slice(all, page, perPage), "meta", Map.of("pagination", pagination)));
    }

    private Reply createKey(Request request) {
        String name = text(request.body(), "name");
        if (keys.containsValue(name)) {
            return error(409, "uniqueness_error", "SSH key with the same name already exists");
        }
        String id = newId();
        keys.put(id, name);
        publicKeys.put(id, text(request.body(), "public_key"));
        return Reply.json(201, Map.of("ssh_key", Map.of("id", Long.parseLong(id), "name", name,
                "fingerprint", "b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f",
                "public_key", text(request.body(), "public_key"), "labels", Map.of(), "created", "2016-01-30T23:50:00+00:00")));
    }

    private Reply createServer(Request request) {
        var body = request.body();
        String type = text(body, "server_type");
        String location = text(body, "location");
        boolean offered = SERVER_TYPES.stream().anyMatch(t -> t.get("name").equals(type)
                && ((List<?>) t.get("prices")).stream().anyMatch(p -> ((Map<?, ?>) p).get("location").equals(location)));
        if (!offered) {
            return error(400, "invalid_input", facts.sizeNotInRegionMessage());
        }
        Reply refusal = refuseNextCreate;
        if (refusal != null) {
            refuseNextCreate = null;
            return refusal;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        body.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        StubVm vm = new StubVm(newId(), text(body, "name"), location, type, text(body, "image"),
                body.path("ssh_keys").valueStream().map(n -> n.asString()).toList(), labels);
        vm.state = "initializing";
        vms.put(vm.id, vm);
        onCreate.accept(vm.sshKeys.stream().map(publicKeys::get).filter(java.util.Objects::nonNull).toList());
        StubAction create = startAction("create_server", vm.id, () -> { });
        return Reply.json(201, Map.of("server", server(vm), "action", action(create), "next_actions", List.of(),
                "root_password", ""));
    }

    private Reply serverAction(Request request) {
        StubVm vm = vms.get(request.group("id"));
        if (vm == null) {
            return notFound();
        }
        String command = request.group("command");
        Runnable effect = switch (command) {
            case "reboot", "poweron" -> () -> vm.state = "running";
            case "poweroff" -> () -> vm.state = "off";
            case "change_type" -> {
                if (!vm.state.equals("off")) {
                    yield null;
                }
                String type = text(request.body(), "server_type");
                yield () -> vm.size = type;
            }
            default -> null;
        };
        if (effect == null) {
            return command.equals("change_type")
                    ? error(409, "conflict", "server must be powered off to change its type")
                    : error(400, "invalid_input", "unknown action " + command);
        }
        return Reply.json(201, Map.of("action", action(startAction(command + "_server", vm.id, effect))));
    }

    private Map<String, Object> server(StubVm vm) {
        Map<String, Object> ipv4 = new LinkedHashMap<>();
        String fixed = publicIpv4;
        ipv4.put("ip", fixed != null ? fixed : "116.203.1." + (Long.parseLong(vm.id) % 250));
        ipv4.put("blocked", false);
        ipv4.put("dns_ptr", "static.1.203.116.clients.your-server.de");
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", Long.parseLong(vm.id));
        server.put("name", vm.name);
        server.put("status", vm.state.equals("starting") ? "initializing" : vm.state);
        server.put("created", "2016-01-30T23:50:00+00:00");
        server.put("public_net", Map.of("ipv4", ipv4, "ipv6", Map.of("ip", "2a01:4f8:1c1c:abcd::/64", "blocked", false,
                "dns_ptr", List.of()), "floating_ips", List.of(), "firewalls", List.of()));
        server.put("private_net", List.of());
        server.put("server_type", Map.of("id", 104, "name", vm.size, "cores", 2, "memory", 4.0, "disk", 40));
        server.put("datacenter", Map.of("id", 4, "name", vm.region + "-dc14", "location", Map.of("id", 1, "name", vm.region)));
        server.put("image", Map.of("id", 161547269, "type", "system", "name", vm.image));
        server.put("labels", vm.labels);
        server.put("locked", false);
        return server;
    }

    /** The server is "starting" while its create action runs; reading it past {@link #bootPolls} boots it. */
    @Override
    synchronized @Nullable StubVm read(String id) {
        StubVm vm = vms.get(id);
        if (vm != null && vm.state.equals("initializing")) {
            vm.state = "starting";
        }
        return super.read(id);
    }

    private static Map<String, Object> action(StubAction action) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.id);
        json.put("command", action.type);
        json.put("status", action.status);
        json.put("progress", action.status.equals("running") ? 50 : 100);
        json.put("started", "2016-01-30T23:55:00+00:00");
        json.put("finished", action.status.equals("running") ? null : "2016-01-30T23:56:00+00:00");
        json.put("resources", List.of(Map.of("id", Long.parseLong(action.vmId), "type", "server")));
        json.put("error", action.status.equals("error")
                ? Map.of("code", "action_failed", "message", action.failure)
                : null);
        return json;
    }

    private static Map<String, Object> location(int id, String name, String description, String country, String city) {
        return Map.of("id", id, "name", name, "description", description, "country", country, "city", city,
                "latitude", 50.47612, "longitude", 12.370071, "network_zone", "eu-central");
    }

    private static Map<String, Object> serverType(int id, String name, String description, int cores, double memory,
                                                  int disk, boolean deprecated, Map<String, String> monthly) {
        List<Map<String, Object>> prices = monthly.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of("location", e.getKey(),
                        "price_hourly", Map.of("net", "0.0060000000", "gross", "0.0071400000"),
                        "price_monthly", Map.of("net", e.getValue() + "000000", "gross", "4.5101000000"),
                        "included_traffic", 21990232555520L,
                        "price_per_tb_traffic", Map.of("net", "1.0000000000", "gross", "1.1900000000")))
                .toList();
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("id", id);
        type.put("name", name);
        type.put("description", description);
        type.put("cores", cores);
        type.put("memory", memory);
        type.put("disk", disk);
        type.put("deprecated", deprecated);
        type.put("deprecation", deprecated ? Map.of("announced", "2023-06-01T00:00:00+00:00",
                "unavailable_after", "2023-09-01T00:00:00+00:00") : null);
        type.put("prices", prices);
        type.put("storage_type", "local");
        type.put("cpu_type", "shared");
        type.put("architecture", name.startsWith("cax") ? "arm" : "x86");
        return type;
    }

    private static Map<String, Object> image(long id, String name, String description, String architecture,
                                             @Nullable String deprecated) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", id);
        image.put("type", "system");
        image.put("status", "available");
        image.put("name", name);
        image.put("description", description);
        image.put("os_flavor", name.split("-")[0]);
        image.put("os_version", name.split("-")[1]);
        image.put("architecture", architecture);
        image.put("rapid_deploy", true);
        image.put("deprecated", deprecated);
        image.put("labels", Map.of());
        return image;
    }
}
