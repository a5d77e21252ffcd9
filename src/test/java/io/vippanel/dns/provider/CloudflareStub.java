package io.vippanel.dns.provider;

import io.vippanel.servers.provider.StubServer;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Cloudflare's API v4 as developers.cloudflare.com/api documents it, for the paths the panel uses: the answer
 * envelope ({@code result}, {@code result_info}, {@code success}, {@code errors}, {@code messages}), zones, accounts,
 * and DNS records changed through {@code dns_records/batch} in one transaction, with the validations of Cloudflare
 * that the panel meets (A/AAAA content, CNAME beside other records, identical records).
 */
final class CloudflareStub implements AutoCloseable {

    static final String TOKEN = "cf-test-token-5ecr3t-0123456789abcdef";
    static final String ACCOUNT_ID = "01a7362d577a6c3019a474fd6f485823";
    static final List<String> NAME_SERVERS = List.of("ada.ns.cloudflare.com", "bob.ns.cloudflare.com");

    private static final String ZONE_PATH = "/zones/(?<zone>[0-9a-f]{32})";
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    /** A record as Cloudflare keeps it; {@code version} counts its writes. */
    record StubRecord(String id, String name, String type, String content, @Nullable Integer priority, int ttl,
                      boolean proxied, @Nullable Map<String, Object> data, int version) {
    }

    static final class StubZone {
        final String id;
        final String name;
        final String accountId;
        Map<String, StubRecord> records = new LinkedHashMap<>();

        StubZone(String id, String name, String accountId) {
            this.id = id;
            this.name = name;
            this.accountId = accountId;
        }
    }

    /** A refusal of one record operation: Cloudflare's code and words. */
    private static final class Refusal extends RuntimeException {
        final int status;
        final int code;

        Refusal(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    final StubServer server;
    final Map<String, StubZone> zones = new LinkedHashMap<>();
    final List<Map<String, String>> accounts = new ArrayList<>(List.of(Map.of("id", ACCOUNT_ID, "name", "Anna's shop")));
    /** Items per page at most, so that every listing spans several pages. */
    volatile int maxPerPage = 3;
    volatile String tokenStatus = "active";
    private final AtomicLong ids = new AtomicLong(0x1000);

    CloudflareStub() {
        server = new StubServer("/client/v4", TOKEN, () -> error(401, 10000, "Authentication error"));
        server.on("GET", "/user/tokens/verify", r -> ok(Map.of("id", newId(), "status", tokenStatus)))
                .on("GET", "/accounts", r -> page(r, accounts))
                .on("GET", "/zones", r -> page(r, zones.values().stream()
                        .filter(z -> !r.query().containsKey("name") || z.name.equals(r.query().get("name")))
                        .map(CloudflareStub::zone).toList()))
                .on("POST", "/zones", this::createZone)
                .on("DELETE", ZONE_PATH, r -> inZone(r, zone -> {
                    zones.remove(zone.id);
                    return ok(Map.of("id", zone.id));
                }))
                .on("GET", ZONE_PATH + "/dns_records", r -> inZone(r, zone -> page(r, zone.records.values().stream()
                        .map(record -> record(zone, record)).toList())))
                .on("POST", ZONE_PATH + "/dns_records/batch", r -> inZone(r, zone -> batch(zone, r.body())));
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** Cloudflare's error envelope with one error. */
    static Reply error(int status, int code, String message) {
        return envelope(status, false, List.of(Map.of("code", code, "message", message)), null, null);
    }

    /** Cloudflare's 429: "Please wait and consider throttling your request speed", with {@code Retry-After}. */
    static Reply rateLimited(int retryAfterSeconds) {
        return error(429, 971, "Please wait and consider throttling your request speed")
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    synchronized StubZone addZone(String name) {
        StubZone zone = new StubZone(newId(), name, ACCOUNT_ID);
        zones.put(zone.id, zone);
        return zone;
    }

    /** A record made outside the panel (the dashboard), e.g. a proxied one or one with the automatic TTL. */
    synchronized StubRecord addRecord(StubZone zone, String name, String type, String content, int ttl, boolean proxied) {
        StubRecord record = new StubRecord(newId(), name, type, content, null, ttl, proxied, null, 1);
        zone.records.put(record.id(), record);
        return record;
    }

    /** The records of that name and type, in the order Cloudflare lists them. */
    synchronized List<StubRecord> records(StubZone zone, String name, String type) {
        return zone.records.values().stream().filter(r -> r.name().equals(name) && r.type().equals(type)).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    private String newId() {
        return String.format("%032x", ids.incrementAndGet());
    }

    private synchronized Reply createZone(Request request) {
        String name = request.body().path("name").asString();
        String account = request.body().path("account").path("id").asString();
        if (accounts.stream().noneMatch(a -> a.get("id").equals(account))) {
            return error(403, 9109, "Unauthorized to access requested resource");
        }
        if (zones.values().stream().anyMatch(z -> z.name.equals(name))) {
            return error(400, 1061, name + " already exists");
        }
        StubZone zone = new StubZone(newId(), name, account);
        zones.put(zone.id, zone);
        return ok(zone(zone));
    }

    private synchronized Reply inZone(Request request, Function<StubZone, Reply> handler) {
        StubZone zone = zones.get(request.group("zone"));
        if (zone == null) {
            return envelope(400, false, List.of(
                    Map.of("code", 7003, "message", "Could not route to " + request.path()
                            + ", perhaps your object identifier is invalid?"),
                    Map.of("code", 7000, "message", "No route for that URI")), null, null);
        }
        return handler.apply(zone);
    }

    /** Deletes, then patches, then posts, on a copy that replaces the zone's records only when all succeeded. */
    private Reply batch(StubZone zone, JsonNode body) {
        Map<String, StubRecord> records = new LinkedHashMap<>(zone.records);
        Map<String, List<Object>> result = new LinkedHashMap<>();
        try {
            for (JsonNode delete : body.path("deletes")) {
                StubRecord gone = records.remove(delete.path("id").asString());
                if (gone == null) {
                    throw new Refusal(404, 81044, "Record does not exist.");
                }
                result.computeIfAbsent("deletes", k -> new ArrayList<>()).add(record(zone, gone));
            }
            for (JsonNode patch : body.path("patches")) {
                StubRecord old = records.get(patch.path("id").asString());
                if (old == null) {
                    throw new Refusal(404, 81044, "Record does not exist.");
                }
                StubRecord patched = new StubRecord(old.id(), old.name(), old.type(),
                        patch.has("content") ? patch.path("content").asString() : old.content(),
                        patch.has("priority") ? Integer.valueOf(patch.path("priority").asInt()) : old.priority(),
                        patch.has("ttl") ? patch.path("ttl").asInt() : old.ttl(),
                        patch.has("proxied") ? patch.path("proxied").asBoolean() : old.proxied(),
                        patch.has("data") ? data(patch.path("data")) : old.data(), old.version() + 1);
                Map<String, StubRecord> others = new LinkedHashMap<>(records);
                others.remove(old.id());
                validate(others, patched);
                records.put(old.id(), patched);
                result.computeIfAbsent("patches", k -> new ArrayList<>()).add(record(zone, patched));
            }
            for (JsonNode post : body.path("posts")) {
                StubRecord created = new StubRecord(newId(), post.path("name").asString(), post.path("type").asString(),
                        content(post), post.has("priority") ? Integer.valueOf(post.path("priority").asInt()) : null,
                        post.path("ttl").asInt(1), post.path("proxied").asBoolean(false),
                        post.has("data") ? data(post.path("data")) : null, 1);
                validate(records, created);
                records.put(created.id(), created);
                result.computeIfAbsent("posts", k -> new ArrayList<>()).add(record(zone, created));
            }
        } catch (Refusal refusal) {
            return error(refusal.status, refusal.code, refusal.getMessage());
        }
        zone.records = records;
        return ok(result);
    }

    private static void validate(Map<String, StubRecord> others, StubRecord record) {
        switch (record.type()) {
            case "A" -> {
                if (!IPV4.matcher(record.content()).matches()) {
                    throw new Refusal(400, 9005, "Content for A record must be a valid IPv4 address.");
                }
            }
            case "AAAA" -> {
                if (!IPV6.matcher(record.content()).matches()) {
                    throw new Refusal(400, 9006, "Content for AAAA record must be a valid IPv6 address.");
                }
            }
            default -> {
            }
        }
        List<StubRecord> sameName = others.values().stream().filter(r -> r.name().equals(record.name())).toList();
        if (record.type().equals("CNAME") && !sameName.isEmpty()) {
            throw new Refusal(400, 81053, "An A, AAAA, or CNAME record with that host already exists.");
        }
        if (sameName.stream().anyMatch(r -> r.type().equals("CNAME"))) {
            throw new Refusal(400, 81054, "A CNAME record with that host already exists.");
        }
        if (sameName.stream().anyMatch(r -> r.type().equals(record.type()) && r.content().equals(record.content())
                && Objects.equals(r.priority(), record.priority()))) {
            throw new Refusal(400, 81058, "An identical record already exists.");
        }
    }

    /** The {@code content} Cloudflare derives from {@code data} for SRV and CAA. */
    private static String content(JsonNode post) {
        JsonNode data = post.path("data");
        return switch (post.path("type").asString()) {
            case "SRV" -> data.path("weight").asInt() + " " + data.path("port").asInt() + " " + data.path("target").asString();
            case "CAA" -> data.path("flags").asInt() + " " + data.path("tag").asString() + " \""
                    + data.path("value").asString().replace("\"", "\\\"") + "\"";
            default -> post.path("content").asString();
        };
    }

    private static Map<String, Object> data(JsonNode data) {
        Map<String, Object> fields = new LinkedHashMap<>();
        data.properties().forEach(e -> fields.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asInt()
                : e.getValue().asString()));
        return fields;
    }

    private static Map<String, Object> zone(StubZone zone) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", zone.id);
        json.put("name", zone.name);
        json.put("status", "pending");
        json.put("paused", false);
        json.put("type", "full");
        json.put("development_mode", 0);
        json.put("name_servers", NAME_SERVERS);
        json.put("original_name_servers", List.of("ns1.registrar-servers.com", "ns2.registrar-servers.com"));
        json.put("original_registrar", null);
        json.put("original_dnshost", null);
        json.put("created_on", "2014-01-01T05:20:00.12345Z");
        json.put("modified_on", "2014-01-01T05:20:00.12345Z");
        json.put("activated_on", null);
        json.put("account", Map.of("id", zone.accountId, "name", "Anna's shop"));
        json.put("meta", Map.of("cdn_only", false, "custom_certificate_quota", 0, "dns_only", false,
                "foundation_dns", false, "page_rule_quota", 3, "phishing_detected", false, "step", 2));
        json.put("permissions", List.of("#zone:read", "#zone:edit", "#dns_records:edit"));
        json.put("plan", Map.of("id", "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name", "Free Website", "price", 0,
                "currency", "USD", "frequency", "", "is_subscribed", false, "can_subscribe", false,
                "legacy_id", "free", "legacy_discount", false, "externally_managed", false));
        return json;
    }

    private static Map<String, Object> record(StubZone zone, StubRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.id());
        json.put("zone_id", zone.id);
        json.put("zone_name", zone.name);
        json.put("name", record.name());
        json.put("type", record.type());
        json.put("content", record.content());
        json.put("proxiable", List.of("A", "AAAA", "CNAME").contains(record.type()));
        json.put("proxied", record.proxied());
        json.put("ttl", record.ttl());
        if (record.priority() != null) {
            json.put("priority", record.priority());
        }
        if (record.data() != null) {
            json.put("data", record.data());
        }
        json.put("settings", Map.of());
        json.put("meta", Map.of("auto_added", false, "managed_by_apps", false, "managed_by_argo_tunnel", false));
        json.put("comment", null);
        json.put("tags", List.of());
        json.put("created_on", "2014-01-01T05:20:00.12345Z");
        json.put("modified_on", "2014-01-01T05:20:00.12345Z");
        return json;
    }

    private static Reply ok(Object result) {
        return envelope(200, true, List.of(), result, null);
    }

    private Reply page(Request request, List<? extends Object> all) {
        int page = request.intQuery("page", 1);
        int perPage = Math.min(maxPerPage, request.intQuery("per_page", 20));
        List<? extends Object> slice = StubServer.slice(all, page, perPage);
        Map<String, Object> info = Map.of("page", page, "per_page", perPage, "count", slice.size(),
                "total_count", all.size(), "total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
        return envelope(200, true, List.of(), slice, info);
    }

    private static Reply envelope(int status, boolean success, List<?> errors, @Nullable Object result,
                                  @Nullable Map<String, Object> resultInfo) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("success", success);
        json.put("errors", errors);
        json.put("messages", List.of());
        json.put("result", result);
        if (resultInfo != null) {
            json.put("result_info", resultInfo);
        }
        return Reply.json(status, json);
    }
}
