package io.vippanel.dns.provider.route53;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A stand-in for Route 53's REST/XML API (version 2013-04-01) on 127.0.0.1: hosted zones with their SOA and NS sets,
 * record sets, change batches applied all or nothing, changes that are {@code PENDING} for {@link #POLLS_TO_SYNC}
 * GetChange calls and then {@code INSYNC}, small pages. Every request is recorded; failures can be scripted per
 * operation. Signatures are not verified, but a request without a SigV4 Authorization header is refused.
 */
final class Route53Stub implements AutoCloseable {

    static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    static final int POLLS_TO_SYNC = 2;
    private static final String ANY_OPERATION = "*";
    private static final Pattern SCOPE = Pattern.compile("^AWS4-HMAC-SHA256 Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/");
    private static final Pattern ESCAPE = Pattern.compile("\\\\([0-7]{3})");

    /** One request as the stub saw it. */
    record Call(String operation, String method, String path, Map<String, String> query, String body, String accessKey,
                String signingRegion, String service) {
    }

    /** A record set as stored; {@code name} is absolute, lower case, unescaped. */
    record StubSet(String name, String type, @Nullable String setIdentifier, @Nullable Long weight,
                   @Nullable Long ttl, List<String> values, @Nullable String aliasTarget) {
        static StubSet plain(String name, String type, long ttl, String... values) {
            return new StubSet(name, type, null, null, ttl, List.of(values), null);
        }

        String key() {
            return sortName(name) + " " + type + " " + (setIdentifier == null ? "" : setIdentifier);
        }

        /** What Route 53 compares when it deletes: everything, values in any order. */
        boolean sameAs(StubSet other) {
            return key().equals(other.key()) && Objects.equals(ttl, other.ttl) && Objects.equals(weight, other.weight)
                    && new HashSet<>(values).equals(new HashSet<>(other.values))
                    && Objects.equals(aliasTarget, other.aliasTarget);
        }
    }

    static final class StubZone {
        final String id;
        final String name;
        final String callerReference;
        final boolean privateZone;
        final List<String> nameServers;
        final TreeMap<String, StubSet> sets = new TreeMap<>();

        StubZone(String id, String name, String callerReference, boolean privateZone) {
            this.id = id;
            this.name = name;
            this.callerReference = callerReference;
            this.privateZone = privateZone;
            this.nameServers = privateZone ? List.of() : List.of("ns-" + id.length() + "1.awsdns-01.com.",
                    "ns-" + id.length() + "2.awsdns-02.net.", "ns-" + id.length() + "3.awsdns-03.org.",
                    "ns-" + id.length() + "4.awsdns-04.co.uk.");
            put(StubSet.plain(name, "SOA", 900, "ns-" + id.length() + "1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"));
            if (!privateZone) {
                put(new StubSet(name, "NS", null, null, 172800L, nameServers, null));
            }
        }

        void put(StubSet set) {
            sets.put(set.key(), set);
        }
    }

    private record Failure(int status, String code, String message) {
    }

    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, StubZone> zones = new ConcurrentHashMap<>();
    private final Map<String, Integer> changePolls = new ConcurrentHashMap<>();
    private final Map<String, Deque<Failure>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Failure> always = new ConcurrentHashMap<>();
    private final List<String> lostAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    volatile int recordPageSize = 3;
    volatile int zonePageSize = 2;
    volatile boolean neverInSync;
    /** Answer InvalidChangeBatch as Route 53 does today (a plain error, messages in brackets), not as documented. */
    volatile boolean plainInvalidChangeBatch;
    private volatile @Nullable Runnable beforeNextChange;

    Route53Stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} calls of {@code operation} ({@code *}: of any operation) fail so. */
    void failNext(String operation, int times, int status, String code, String message) {
        Deque<Failure> queue = scripted.computeIfAbsent(operation, o -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Failure(status, code, message));
        }
    }

    void failAlways(String operation, int status, String code, String message) {
        always.put(operation, new Failure(status, code, message));
    }

    void throttle(String operation, int times) {
        failNext(operation, times, 400, "Throttling", "Rate exceeded");
    }

    void throttleForever(String operation) {
        failAlways(operation, 400, "Throttling", "Rate exceeded");
    }

    void refuseSignature() {
        failAlways(ANY_OPERATION, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                + "the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    /** The next call of {@code operation} is carried out, but its answer is replaced by a 500 (a lost answer). */
    void loseNextAnswer(String operation) {
        lostAnswers.add(operation);
    }

    /** Runs just before the next change batch is checked, as another client's change would. */
    void beforeNextChange(Runnable change) {
        beforeNextChange = change;
    }

    StubZone zone(String name, boolean privateZone) {
        String id = "Z" + ids.incrementAndGet() + "STUB";
        StubZone zone = new StubZone(id, canonical(name), "seeded-" + id, privateZone);
        zones.put(id, zone);
        return zone;
    }

    List<Call> calls(String operation) {
        return calls.stream().filter(call -> call.operation().equals(operation)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath().replaceAll("/$", "");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Matcher scope = SCOPE.matcher(Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Authorization"), ""));
            boolean signed = scope.find();
            String operation = operation(method, path);
            calls.add(new Call(operation, method, path, query, body, signed ? scope.group(1) : "",
                    signed ? scope.group(2) : "", signed ? scope.group(3) : ""));
            if (!signed) {
                sendError(exchange, new Failure(403, "MissingAuthenticationToken", "Missing Authentication Token"));
                return;
            }
            Failure failure = failureFor(operation);
            if (failure != null) {
                sendError(exchange, failure);
                return;
            }
            Answer answer = answer(operation, method, path, query, body);
            if (lostAnswers.remove(operation)) {
                sendError(exchange, new Failure(500, "InternalFailure", "An internal error occurred"));
                return;
            }
            send(exchange, answer.status(), answer.xml());
        } catch (RuntimeException bug) {
            bug.printStackTrace();
            throw bug;
        }
    }

    private record Answer(int status, String xml) {
        static Answer ok(String root, String inner) {
            return new Answer(200, "<?xml version=\"1.0\"?>\n<" + root + " xmlns=\"" + NS + "\">" + inner + "</" + root + ">");
        }
    }

    private static final class Refusal extends RuntimeException {
        private final transient Failure failure;
        private final transient List<String> messages;

        Refusal(int status, String code, String message) {
            this(new Failure(status, code, message), List.of());
        }

        Refusal(Failure failure, List<String> messages) {
            super(failure.code());
            this.failure = failure;
            this.messages = messages;
        }
    }

    private static String operation(String method, String path) {
        String[] parts = path.split("/");
        String resource = parts.length > 2 ? parts[2] : "";
        return switch (method + " " + resource + (parts.length > 4 ? "/" + parts[4] : "")) {
            case "POST hostedzone" -> "CreateHostedZone";
            case "GET hostedzone" -> parts.length > 3 ? "GetHostedZone" : "ListHostedZones";
            case "DELETE hostedzone" -> "DeleteHostedZone";
            case "GET hostedzonesbyname" -> "ListHostedZonesByName";
            case "GET hostedzonecount" -> "GetHostedZoneCount";
            case "GET hostedzone/rrset" -> "ListResourceRecordSets";
            case "POST hostedzone/rrset" -> "ChangeResourceRecordSets";
            case "GET change" -> "GetChange";
            default -> method + " " + path;
        };
    }

    private @Nullable Failure failureFor(String operation) {
        for (String key : List.of(operation, ANY_OPERATION)) {
            Deque<Failure> queue = scripted.get(key);
            Failure next = queue == null ? null : queue.poll();
            if (next != null) {
                return next;
            }
        }
        Failure fixed = always.get(operation);
        return fixed != null ? fixed : always.get(ANY_OPERATION);
    }

    private Answer answer(String operation, String method, String path, Map<String, String> query, String body) {
        String[] parts = path.split("/");
        try {
            synchronized (this) {
                return switch (operation) {
                    case "GetHostedZoneCount" -> Answer.ok("GetHostedZoneCountResponse",
                            "<HostedZoneCount>" + zones.size() + "</HostedZoneCount>");
                    case "CreateHostedZone" -> createHostedZone(parse(body, "CreateHostedZoneRequest"));
                    case "GetHostedZone" -> Answer.ok("GetHostedZoneResponse", hostedZoneXml(zone(parts[3]))
                            + delegationSetXml(zone(parts[3])));
                    case "DeleteHostedZone" -> deleteHostedZone(zone(parts[3]));
                    case "ListHostedZonesByName" -> listHostedZonesByName(query);
                    case "ListResourceRecordSets" -> listResourceRecordSets(zone(parts[3]), query);
                    case "ChangeResourceRecordSets" -> changeResourceRecordSets(zone(parts[3]),
                            parse(body, "ChangeResourceRecordSetsRequest"));
                    case "GetChange" -> getChange(parts[3]);
                    default -> throw new Refusal(404, "UnknownOperationException", method + " " + path + " is not an operation");
                };
            }
        } catch (Refusal refusal) {
            return new Answer(refusal.failure.status(), refusal.messages.isEmpty() ? errorXml(refusal.failure)
                    : invalidChangeBatchXml(refusal.messages));
        }
    }

    private Answer createHostedZone(Element request) {
        String name = canonical(text(request, "Name"));
        String callerReference = text(request, "CallerReference");
        if (!name.matches("([a-z0-9_]([a-z0-9-_]*[a-z0-9_])?\\.)+")) {
            throw new Refusal(400, "InvalidDomainName", name + " is reserved by AWS!");
        }
        if (zones.values().stream().anyMatch(zone -> zone.callerReference.equals(callerReference))) {
            throw new Refusal(409, "HostedZoneAlreadyExists", "A hosted zone has already been created with the "
                    + "specified caller reference.");
        }
        Element config = child(request, "HostedZoneConfig");
        boolean privateZone = config != null && "true".equals(text(config, "PrivateZone"));
        String id = "Z" + ids.incrementAndGet() + "STUB";
        StubZone zone = new StubZone(id, name, callerReference, privateZone);
        zones.put(id, zone);
        return new Answer(201, Answer.ok("CreateHostedZoneResponse", hostedZoneXml(zone) + changeInfoXml(newChange())
                + delegationSetXml(zone)).xml());
    }

    private Answer deleteHostedZone(StubZone zone) {
        boolean onlyOwnSets = zone.sets.values().stream()
                .allMatch(set -> set.name().equals(zone.name) && (set.type().equals("SOA") || set.type().equals("NS")));
        if (!onlyOwnSets) {
            throw new Refusal(400, "HostedZoneNotEmpty", "The specified hosted zone contains non-required resource "
                    + "record sets and so cannot be deleted.");
        }
        zones.remove(zone.id);
        return Answer.ok("DeleteHostedZoneResponse", changeInfoXml(newChange()));
    }

    private Answer listHostedZonesByName(Map<String, String> query) {
        String dnsName = query.get("dnsname");
        String fromId = query.get("hostedzoneid");
        int pageSize = Math.min(zonePageSize, Integer.parseInt(query.getOrDefault("maxitems", "100")));
        List<StubZone> sorted = zones.values().stream()
                .sorted(Comparator.comparing((StubZone zone) -> sortName(zone.name)).thenComparing(zone -> zone.id))
                .toList();
        int start = 0;
        if (dnsName != null) {
            String from = sortName(canonical(dnsName));
            while (start < sorted.size() && (sortName(sorted.get(start).name).compareTo(from) < 0 || (fromId != null
                    && sortName(sorted.get(start).name).equals(from) && sorted.get(start).id.compareTo(fromId) < 0))) {
                start++;
            }
        }
        List<StubZone> page = sorted.subList(start, Math.min(sorted.size(), start + pageSize));
        StringBuilder xml = new StringBuilder("<HostedZones>");
        page.forEach(zone -> xml.append(hostedZoneXml(zone)));
        xml.append("</HostedZones>");
        if (dnsName != null) {
            xml.append("<DNSName>").append(esc(dnsName)).append("</DNSName>");
        }
        boolean truncated = start + pageSize < sorted.size();
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            StubZone next = sorted.get(start + pageSize);
            xml.append("<NextDNSName>").append(next.name).append("</NextDNSName><NextHostedZoneId>").append(next.id)
                    .append("</NextHostedZoneId>");
        }
        xml.append("<MaxItems>").append(query.getOrDefault("maxitems", "100")).append("</MaxItems>");
        return Answer.ok("ListHostedZonesByNameResponse", xml.toString());
    }

    private Answer listResourceRecordSets(StubZone zone, Map<String, String> query) {
        String name = query.get("name");
        String type = query.get("type");
        String identifier = query.get("identifier");
        int pageSize = Math.min(recordPageSize, Integer.parseInt(query.getOrDefault("maxitems", "300")));
        if (type != null && name == null) {
            throw new Refusal(400, "InvalidInput", "The input is not valid: type requires name");
        }
        String from = name == null ? "" : sortName(canonical(name)) + " " + (type == null ? "" : type) + " "
                + (identifier == null ? "" : identifier);
        List<StubSet> sets = new ArrayList<>(zone.sets.tailMap(from, true).values());
        List<StubSet> page = sets.subList(0, Math.min(sets.size(), pageSize));
        StringBuilder xml = new StringBuilder("<ResourceRecordSets>");
        page.forEach(set -> xml.append(recordSetXml(set)));
        xml.append("</ResourceRecordSets>");
        boolean truncated = sets.size() > pageSize;
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            StubSet next = sets.get(pageSize);
            xml.append("<NextRecordName>").append(escapeName(next.name())).append("</NextRecordName><NextRecordType>")
                    .append(next.type()).append("</NextRecordType>");
            if (next.setIdentifier() != null) {
                xml.append("<NextRecordIdentifier>").append(esc(next.setIdentifier())).append("</NextRecordIdentifier>");
            }
        }
        xml.append("<MaxItems>").append(query.getOrDefault("maxitems", "300")).append("</MaxItems>");
        return Answer.ok("ListResourceRecordSetsResponse", xml.toString());
    }

    /** Checks every change against the zone as it would be after the earlier ones; applies all of them or none. */
    private Answer changeResourceRecordSets(StubZone zone, Element request) {
        Runnable race = beforeNextChange;
        beforeNextChange = null;
        if (race != null) {
            race.run();
        }
        Map<String, StubSet> after = new TreeMap<>(zone.sets);
        List<String> problems = new ArrayList<>();
        Element changes = child(child(request, "ChangeBatch"), "Changes");
        for (Element change : children(changes, "Change")) {
            String action = text(change, "Action");
            StubSet set = readSet(child(change, "ResourceRecordSet"));
            String described = "[name='" + escapeName(set.name()) + "', type='" + set.type() + "'"
                    + (set.setIdentifier() == null ? "" : ", identifier='" + set.setIdentifier() + "'") + "]";
            StubSet current = after.get(set.key());
            if (!set.name().equals(zone.name) && !set.name().endsWith("." + zone.name)) {
                problems.add("RRSet with DNS name " + escapeName(set.name()) + " is not permitted in zone " + zone.name);
                continue;
            }
            switch (action) {
                case "CREATE" -> {
                    if (current != null) {
                        problems.add("Tried to create resource record set " + described + " but it already exists");
                    } else {
                        after.put(set.key(), set);
                    }
                }
                case "DELETE" -> {
                    if (current == null) {
                        problems.add("Tried to delete resource record set " + described + " but it was not found");
                    } else if (!current.sameAs(set)) {
                        problems.add("Tried to delete resource record set " + described
                                + " but the values provided do not match the current values");
                    } else {
                        after.remove(set.key());
                    }
                }
                case "UPSERT" -> after.put(set.key(), set);
                default -> throw new Refusal(400, "InvalidInput", "Invalid XML ; unknown action " + action);
            }
        }
        if (!problems.isEmpty()) {
            if (plainInvalidChangeBatch) {
                throw new Refusal(400, "InvalidChangeBatch", problems.toString());
            }
            throw new Refusal(new Failure(400, "InvalidChangeBatch", ""), problems);
        }
        zone.sets.clear();
        zone.sets.putAll(after);
        return Answer.ok("ChangeResourceRecordSetsResponse", changeInfoXml(newChange()));
    }

    private Answer getChange(String id) {
        Integer polls = changePolls.computeIfPresent(id, (change, count) -> count + 1);
        if (polls == null) {
            throw new Refusal(404, "NoSuchChange", "A change with the specified change ID does not exist.");
        }
        String status = !neverInSync && polls >= POLLS_TO_SYNC ? "INSYNC" : "PENDING";
        return Answer.ok("GetChangeResponse", "<ChangeInfo><Id>/change/" + id + "</Id><Status>" + status
                + "</Status><SubmittedAt>2026-11-26T10:00:00.000Z</SubmittedAt></ChangeInfo>");
    }

    private String newChange() {
        String id = "C" + ids.incrementAndGet() + "STUB";
        changePolls.put(id, 0);
        return id;
    }

    private StubZone zone(String id) {
        StubZone zone = zones.get(id);
        if (zone == null) {
            throw new Refusal(404, "NoSuchHostedZone", "No hosted zone found with ID: " + id);
        }
        return zone;
    }

    private static StubSet readSet(Element xml) {
        List<String> values = new ArrayList<>();
        Element records = child(xml, "ResourceRecords");
        if (records != null) {
            children(records, "ResourceRecord").forEach(record -> values.add(text(record, "Value")));
        }
        Element alias = child(xml, "AliasTarget");
        String ttl = text(xml, "TTL");
        String weight = text(xml, "Weight");
        return new StubSet(canonical(text(xml, "Name")), text(xml, "Type"), text(xml, "SetIdentifier"),
                weight == null ? null : Long.valueOf(weight), ttl == null ? null : Long.valueOf(ttl), values,
                alias == null ? null : text(alias, "HostedZoneId") + " " + canonical(text(alias, "DNSName")));
    }

    private static String hostedZoneXml(StubZone zone) {
        return "<HostedZone><Id>/hostedzone/" + zone.id + "</Id><Name>" + zone.name + "</Name><CallerReference>"
                + esc(zone.callerReference) + "</CallerReference><Config><Comment>stub</Comment><PrivateZone>"
                + zone.privateZone + "</PrivateZone></Config><ResourceRecordSetCount>" + zone.sets.size()
                + "</ResourceRecordSetCount></HostedZone>";
    }

    private static String delegationSetXml(StubZone zone) {
        StringBuilder xml = new StringBuilder("<DelegationSet><NameServers>");
        zone.nameServers.forEach(ns -> xml.append("<NameServer>").append(ns, 0, ns.length() - 1).append("</NameServer>"));
        return xml.append("</NameServers></DelegationSet>").toString();
    }

    private static String changeInfoXml(String id) {
        return "<ChangeInfo><Id>/change/" + id + "</Id><Status>PENDING</Status><SubmittedAt>2026-11-26T10:00:00.000Z"
                + "</SubmittedAt><Comment>stub</Comment></ChangeInfo>";
    }

    private static String recordSetXml(StubSet set) {
        StringBuilder xml = new StringBuilder("<ResourceRecordSet><Name>").append(escapeName(set.name()))
                .append("</Name><Type>").append(set.type()).append("</Type>");
        if (set.setIdentifier() != null) {
            xml.append("<SetIdentifier>").append(esc(set.setIdentifier())).append("</SetIdentifier><Weight>")
                    .append(set.weight()).append("</Weight>");
        }
        if (set.aliasTarget() != null) {
            String[] target = set.aliasTarget().split(" ");
            xml.append("<AliasTarget><HostedZoneId>").append(target[0]).append("</HostedZoneId><DNSName>")
                    .append(target[1]).append("</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>");
        } else {
            xml.append("<TTL>").append(set.ttl()).append("</TTL><ResourceRecords>");
            set.values().forEach(value -> xml.append("<ResourceRecord><Value>").append(esc(value))
                    .append("</Value></ResourceRecord>"));
            xml.append("</ResourceRecords>");
        }
        return xml.append("</ResourceRecordSet>").toString();
    }

    private static String errorXml(Failure failure) {
        return "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>"
                + failure.code() + "</Code><Message>" + esc(failure.message()) + "</Message></Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private static String invalidChangeBatchXml(List<String> messages) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<InvalidChangeBatch xmlns=\"" + NS + "\"><Messages>");
        messages.forEach(message -> xml.append("<Message>").append(esc(message)).append("</Message>"));
        return xml.append("</Messages><RequestId>").append(UUID.randomUUID()).append("</RequestId></InvalidChangeBatch>")
                .toString();
    }

    /** Route 53's order: by name with its labels reversed ({@code com.example.www}). */
    static String sortName(String canonicalName) {
        List<String> labels = new ArrayList<>(List.of(canonicalName.split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    /** The stored form of a name: unescaped, lower case, absolute. */
    static String canonical(String name) {
        String unescaped = ESCAPE.matcher(name).replaceAll(escape -> Character.toString(Integer.parseInt(escape.group(1), 8)));
        String lower = unescaped.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** How Route 53 writes names in answers: characters other than a-z, 0-9, '-', '_' and '.' as octal escapes. */
    static String escapeName(String name) {
        StringBuilder escaped = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.') {
                escaped.append(c);
            } else {
                escaped.append('\\').append(String.format("%03o", (int) c));
            }
        }
        return escaped.toString();
    }

    private static Element parse(String body, String rootName) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            Element root = document.getDocumentElement();
            if (!rootName.equals(root.getLocalName()) || !NS.equals(root.getNamespaceURI())) {
                throw new Refusal(400, "InvalidInput", "Invalid XML ; expected " + rootName + " in " + NS);
            }
            return root;
        } catch (Refusal refusal) {
            throw refusal;
        } catch (Exception unreadable) {
            throw new Refusal(400, "InvalidInput", "Invalid XML ; " + unreadable.getMessage());
        }
    }

    private static @Nullable Element child(@Nullable Element parent, String name) {
        if (parent == null) {
            return null;
        }
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(@Nullable Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && name.equals(element.getLocalName())
                        && NS.equals(element.getNamespaceURI())) {
                    found.add(element);
                }
            }
        }
        return found;
    }

    private static @Nullable String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent();
    }

    private static Map<String, String> query(@Nullable String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private void sendError(HttpExchange exchange, Failure failure) throws IOException {
        send(exchange, failure.status(), errorXml(failure));
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
