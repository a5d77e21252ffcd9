package io.vippanel.servers.provider;

import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The DigitalOcean API v2 as docs.digitalocean.com/reference/api documents it, for the paths the panel uses. */
final class DigitalOceanStub extends ProviderStub {

    private static final List<Map<String, Object>> REGIONS = List.of(
            region("nyc3", "New York 3", true), region("ams3", "Amsterdam 3", true), region("fra1", "Frankfurt 1", true),
            region("sfo1", "San Francisco 1", false), region("lon1", "London 1", true));

    private static final List<Map<String, Object>> SIZES = List.of(
            size("s-1vcpu-1gb", 1024, 1, 25, 6.0, 0.00893, List.of("nyc3", "ams3", "fra1", "lon1"), true, "Basic"),
            size("s-2vcpu-2gb", 2048, 2, 60, 18.0, 0.02679, List.of("nyc3", "fra1"), true, "Basic"),
            size("s-1vcpu-512mb-10gb", 512, 1, 10, 4.0, 0.00595, List.of("nyc3"), false, "Basic"),
            size("g-2vcpu-8gb", 8192, 2, 25, 63.0, 0.09375, List.of("nyc3", "ams3"), true, "General Purpose"));

    private static final List<Map<String, Object>> IMAGES = List.of(
            image(160000000, "24.04 (LTS) x64", "Ubuntu", "ubuntu-24-04-x64"),
            image(129211873, "22.04 (LTS) x64", "Ubuntu", "ubuntu-22-04-x64"),
            image(140000000, "13 x64", "Debian", "debian-13-x64"),
            image(131000000, "12 x64", "Debian", "debian-12-x64"),
            image(106433672, "11 x64", "Debian", "debian-11-x64"),
            image(106569146, "9 Stream x64", "CentOS", "centos-stream-9-x64"));

    DigitalOceanStub() {
        super("/v2", new Facts("Unable to authenticate you", "The resource you were accessing could not be found.", "Size is not available in this region.",
                new VmSpec("web-1", "fra1", "s-1vcpu-1gb", "ubuntu-24-04-x64", List.of("512189"),
                        Map.of("vip-server", "42", "owner", "Anna's shop!")),
                "s-2vcpu-2gb", new VmSpec("web-2", "ams3", "s-2vcpu-2gb", "ubuntu-24-04-x64", List.of(), Map.of()),
                "/regions", "/actions/\\d+"));
        server.on("GET", "/account", r -> Reply.json(200, Map.of("account", Map.of("droplet_limit", 25,
                        "floating_ip_limit", 5, "volume_limit", 10, "email", "sammy@digitalocean.com",
                        "uuid", "b6fr89dbf6d9156cace5f3c78dc9851d957381ef", "email_verified", true, "status", "active",
                        "status_message", "", "team", Map.of("uuid", "5df3e3004a17e242b7c20ca6c9fc25b701a47ece", "name", "My Team")))))
                .on("GET", "/regions", r -> page(r, "regions", REGIONS))
                .on("GET", "/sizes", r -> page(r, "sizes", SIZES))
                .on("GET", "/images", r -> "distribution".equals(r.query().get("type"))
                        ? page(r, "images", IMAGES)
                        : error(400, "bad_request", "type must be distribution or application"))
                .on("POST", "/account/keys", this::createKey)
                .on("DELETE", "/account/keys/(?<id>\\d+)", r -> keys.remove(r.group("id")) == null ? notFound() : Reply.noContent())
                .on("POST", "/droplets", this::createDroplet)
                .on("GET", "/droplets/(?<id>\\d+)", r -> {
                    StubVm vm = read(r.group("id"));
                    return vm == null ? notFound() : Reply.json(200, Map.of("droplet", droplet(vm)));
                })
                .on("POST", "/droplets/(?<id>\\d+)/actions", this::dropletAction)
                .on("DELETE", "/droplets/(?<id>\\d+)", r -> vms.remove(r.group("id")) == null ? notFound() : Reply.noContent())
                .on("GET", "/actions/(?<id>\\d+)", r -> {
                    StubAction action = poll(Long.parseLong(r.group("id")));
                    return action == null ? notFound() : Reply.json(200, Map.of("action", action(action)));
                });
    }

    @Override
    Reply error(int status, String code, String message) {
        Reply reply = Reply.json(status, Map.of("id", code, "message", message,
                "request_id", "4d9d8375-3c56-4925-a3e7-eb137fed17e9"));
        return status == 429 ? rateLimited(reply, Instant.now()) : reply;
    }

    private Reply page(Request request, String name, List<Map<String, Object>> all) {
        int page = request.intQuery("page", 1);
        int perPage = perPage(request);
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        String link = "https://api.digitalocean.com/v2" + request.path() + "?page=%d&per_page=" + perPage;
        Map<String, Object> pages = new LinkedHashMap<>();
        if (page > 1) {
            pages.put("first", link.formatted(1));
            pages.put("prev", link.formatted(page - 1));
        }
        if (page < last) {
            pages.put("next", link.formatted(page + 1));
            pages.put("last", link.formatted(last));
        }
        return Reply.json(200, Map.of(name, StubServer.slice(all, page, perPage), "links", Map.of("pages", pages),
                "meta", Map.of("total", all.size())));
    }

    private Reply createKey(Request request) {
        String name = text(request.body(), "name");
        if (keys.containsValue(name)) {
            return error(422, "unprocessable_entity", "SSH Key is already in use on your account");
        }
        String id = newId();
        keys.put(id, name);
        return Reply.json(201, Map.of("ssh_key", Map.of("id", Long.parseLong(id), "name", name,
                "fingerprint", "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa",
                "public_key", text(request.body(), "public_key"))));
    }

    private Reply createDroplet(Request request) {
        var body = request.body();
        String size = text(body, "size");
        String region = text(body, "region");
        boolean offered = SIZES.stream().anyMatch(s -> s.get("slug").equals(size) && ((List<?>) s.get("regions")).contains(region));
        if (!offered) {
            return error(422, "unprocessable_entity", facts.sizeNotInRegionMessage());
        }
        StubVm vm = new StubVm(newId(), text(body, "name"), region, size, text(body, "image"),
                body.path("ssh_keys").valueStream().map(n -> n.asString()).toList(), Map.of());
        vms.put(vm.id, vm);
        StubAction create = startAction("create", vm.id, () -> { });
        return Reply.json(202, Map.of("droplet", droplet(vm), "links", Map.of("actions", List.of(Map.of("id", create.id,
                "rel", "create", "href", "https://api.digitalocean.com/v2/actions/" + create.id)))));
    }

    private Reply dropletAction(Request request) {
        StubVm vm = vms.get(request.group("id"));
        if (vm == null) {
            return notFound();
        }
        String type = text(request.body(), "type");
        Runnable effect = switch (type) {
            case "reboot", "power_on" -> () -> vm.state = "running";
            case "power_off" -> () -> vm.state = "off";
            case "resize" -> {
                String size = text(request.body(), "size");
                yield () -> vm.size = size;
            }
            default -> null;
        };
        if (effect == null) {
            return error(422, "unprocessable_entity", "unknown action type " + type);
        }
        if (type.equals("resize") && !vm.state.equals("off")) {
            return error(422, "unprocessable_entity", "Droplet is currently on. Please power it off to run this event.");
        }
        return Reply.json(201, Map.of("action", action(startAction(type, vm.id, effect))));
    }

    private Map<String, Object> droplet(StubVm vm) {
        boolean booted = !vm.state.equals("starting");
        List<Map<String, Object>> v4 = new ArrayList<>();
        List<Map<String, Object>> v6 = new ArrayList<>();
        if (booted) {
            v4.add(Map.of("ip_address", "10.110.0." + (Long.parseLong(vm.id) % 250), "netmask", "255.255.240.0",
                    "gateway", "10.110.0.1", "type", "private"));
            v4.add(Map.of("ip_address", "164.92.1." + (Long.parseLong(vm.id) % 250), "netmask", "255.255.240.0",
                    "gateway", "164.92.0.1", "type", "public"));
            v6.add(Map.of("ip_address", "2a03:b0c0:3:d0::1a:7001", "netmask", 64, "gateway", "2a03:b0c0:3:d0::1",
                    "type", "public"));
        }
        Map<String, Object> droplet = new LinkedHashMap<>();
        droplet.put("id", Long.parseLong(vm.id));
        droplet.put("name", vm.name);
        droplet.put("memory", 1024);
        droplet.put("vcpus", 1);
        droplet.put("disk", 25);
        droplet.put("locked", false);
        droplet.put("status", switch (vm.state) {
            case "starting" -> "new";
            case "running" -> "active";
            default -> vm.state;
        });
        droplet.put("kernel", null);
        droplet.put("created_at", "2020-07-21T18:37:44Z");
        droplet.put("features", List.of("ipv6"));
        droplet.put("image", Map.of("slug", vm.image, "distribution", "Ubuntu"));
        droplet.put("size", Map.of("slug", vm.size));
        droplet.put("size_slug", vm.size);
        droplet.put("networks", Map.of("v4", v4, "v6", v6));
        droplet.put("region", Map.of("slug", vm.region, "name", "Frankfurt 1", "available", true));
        droplet.put("tags", List.of());
        droplet.put("vpc_uuid", "760e09ef-dc84-11e8-981e-3cfdfeaae000");
        return droplet;
    }

    private static Map<String, Object> action(StubAction action) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.id);
        json.put("status", switch (action.status) {
            case "running" -> "in-progress";
            case "success" -> "completed";
            default -> "errored";
        });
        json.put("type", action.type);
        json.put("started_at", "2014-11-14T16:29:21Z");
        json.put("completed_at", action.status.equals("running") ? null : "2014-11-14T16:30:06Z");
        json.put("resource_id", Long.parseLong(action.vmId));
        json.put("resource_type", "droplet");
        json.put("region_slug", "fra1");
        return json;
    }

    private static Map<String, Object> region(String slug, String name, boolean available) {
        return Map.of("slug", slug, "name", name, "available", available,
                "features", List.of("backups", "ipv6", "metadata"), "sizes", List.of("s-1vcpu-1gb"));
    }

    private static Map<String, Object> size(String slug, int memory, int vcpus, int disk, double monthly, double hourly,
                                            List<String> regions, boolean available, String description) {
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("slug", slug);
        size.put("memory", memory);
        size.put("vcpus", vcpus);
        size.put("disk", disk);
        size.put("transfer", 1.0);
        size.put("price_monthly", monthly);
        size.put("price_hourly", hourly);
        size.put("regions", regions);
        size.put("available", available);
        size.put("description", description);
        return size;
    }

    private static Map<String, Object> image(long id, String name, String distribution, String slug) {
        return Map.of("id", id, "name", name, "distribution", distribution, "slug", slug, "public", true,
                "regions", List.of("nyc3", "fra1"), "type", "base", "min_disk_size", 7, "size_gigabytes", 2.36,
                "status", "available");
    }
}
