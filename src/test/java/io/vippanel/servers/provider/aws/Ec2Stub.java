package io.vippanel.servers.provider.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for EC2 (Query protocol, XML answers of API version 2016-11-15) and the Price List API (JSON 1.1) on
 * 127.0.0.1, with state per region: key pairs, a default VPC, security groups and instances that move from pending
 * to running (and stopping to stopped) after {@link #POLLS_TO_SETTLE} describes. Every request is recorded, and
 * failures can be scripted per action.
 */
final class Ec2Stub implements AutoCloseable {

    static final int POLLS_TO_SETTLE = 2;
    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final List<String> REGIONS = List.of("eu-central-1", "eu-west-1", "us-east-1");
    private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/");

    /** One request as the stub saw it. */
    record Call(String action, String region, String accessKey, Map<String, String> params, Map<String, String> headers,
                String body) {
        String param(String name) {
            return params.get(name);
        }

        /** The values of {@code prefix.1}, {@code prefix.2}, ... in order. */
        List<String> list(String prefix) {
            return Ec2Stub.list(params, prefix);
        }
    }

    private record Failure(int status, String code, String message) {
    }

    static final class StubInstance {
        final String id;
        final String region;
        final String imageId;
        String type;
        final String keyName;
        final Map<String, String> tags;
        String state = "pending";
        int polls;

        StubInstance(String id, String region, String imageId, String type, String keyName, Map<String, String> tags) {
            this.id = id;
            this.region = region;
            this.imageId = imageId;
            this.type = type;
            this.keyName = keyName;
            this.tags = tags;
        }
    }

    record StubImage(String id, String region, String owner, String name, String created, String rootDevice) {
    }

    private final HttpServer server;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Failure>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Failure> always = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> keyPairs = new ConcurrentHashMap<>();
    final Map<String, String> securityGroups = new ConcurrentHashMap<>();
    final Map<String, StubInstance> instances = new ConcurrentHashMap<>();
    private final Map<String, String> clientTokens = new ConcurrentHashMap<>();
    final List<StubImage> images = new ArrayList<>();
    final List<String> instanceTypes = new ArrayList<>(List.of("t3.nano", "t3.micro", "t3.small", "t3.medium",
            "t3a.small", "m6i.large", "m7i.large", "c6i.large", "c7i.xlarge", "m5.large", "t4g.small"));
    volatile int pageSize = 4;
    volatile String stuckState;
    private volatile boolean closed;
    private final List<String> lostAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(0x1000);

    Ec2Stub() throws IOException {
        for (String region : REGIONS) {
            keyPairs.put(region, new ConcurrentHashMap<>());
            String suffix = Integer.toHexString(region.hashCode() & 0xffff);
            images.add(new StubImage("ami-j1" + suffix, region, "099720109477",
                    "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250101", "2025-01-01T10:00:00.000Z", "/dev/sda1"));
            images.add(new StubImage("ami-j2" + suffix, region, "099720109477",
                    "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20261001", "2026-10-01T10:00:00.000Z", "/dev/sda1"));
            images.add(new StubImage("ami-n1" + suffix, region, "099720109477",
                    "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261101", "2026-11-01T10:00:00.000Z", "/dev/sda1"));
            images.add(new StubImage("ami-d12" + suffix, region, "136693071363",
                    "debian-12-amd64-20260901-2000", "2026-09-01T20:00:00.000Z", "/dev/xvda"));
            images.add(new StubImage("ami-d13" + suffix, region, "136693071363",
                    "debian-13-amd64-20261015-2100", "2026-10-15T21:00:00.000Z", "/dev/xvda"));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} calls of {@code action} fail so. */
    void failNext(String action, int times, int status, String code, String message) {
        Deque<Failure> queue = scripted.computeIfAbsent(action, a -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Failure(status, code, message));
        }
    }

    void failAlways(String action, int status, String code, String message) {
        always.put(action, new Failure(status, code, message));
    }

    List<Call> calls(String action) {
        return calls.stream().filter(call -> call.action().equals(action)).toList();
    }

    Call last(String action) {
        List<Call> matching = calls(action);
        if (matching.isEmpty()) {
            throw new AssertionError("no " + action + " call; calls: " + calls.stream().map(Call::action).toList());
        }
        return matching.getLast();
    }

    StubImage image(String region, String namePrefix) {
        return images.stream().filter(i -> i.region().equals(region) && i.name().contains(namePrefix)).findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            Matcher scope = SCOPE.matcher(headers.getOrDefault("authorization", ""));
            boolean signed = scope.find();
            String accessKey = signed ? scope.group(1) : "";
            String region = signed ? scope.group(2) : "";
            String target = headers.get("x-amz-target");
            Map<String, String> params = target == null ? form(body) : Map.of();
            String action = target != null ? target.substring(target.indexOf('.') + 1) : params.getOrDefault("Action", "");
            calls.add(new Call(action, region, accessKey, params, headers, body));
            Failure failure = failureFor(action);
            if (failure != null) {
                if (target != null) {
                    send(exchange, failure.status(), "application/x-amz-json-1.1",
                            "{\"__type\":\"" + failure.code() + "\",\"message\":\"" + failure.message() + "\"}");
                } else {
                    send(exchange, failure.status(), "text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            + "<Response><Errors><Error><Code>" + failure.code() + "</Code><Message>" + esc(failure.message())
                            + "</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>");
                }
                return;
            }
            if (target != null) {
                send(exchange, 200, "application/x-amz-json-1.1", Ec2StubPricing.getProducts(body, instanceTypes));
                return;
            }
            String inner = answer(action, region, params);
            if (lostAnswers.remove(action)) {
                send(exchange, 500, "text/xml", "<Response><Errors><Error><Code>InternalError</Code><Message>An internal "
                        + "error has occurred</Message></Error></Errors><RequestID>" + UUID.randomUUID()
                        + "</RequestID></Response>");
                return;
            }
            if (inner == null) {
                send(exchange, 400, "text/xml", "<Response><Errors><Error><Code>" + notFoundCode(action)
                        + "</Code><Message>The requested resource does not exist in " + region
                        + "</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>");
                return;
            }
            send(exchange, 200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action
                    + "Response xmlns=\"" + NS + "\"><requestId>" + UUID.randomUUID() + "</requestId>" + inner + "</"
                    + action + "Response>");
        } catch (RuntimeException bug) {
            bug.printStackTrace();
            throw bug;
        }
    }

    private static String notFoundCode(String action) {
        return switch (action) {
            case "DescribeImages" -> "InvalidAMIID.NotFound";
            case "DescribeKeyPairs" -> "InvalidKeyPair.NotFound";
            case "DescribeRegions", "DescribeInstanceTypes", "DescribeVpcs", "DescribeSecurityGroups", "ImportKeyPair",
                 "DeleteKeyPair", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RunInstances" -> "InvalidAction";
            default -> "InvalidInstanceID.NotFound";
        };
    }

    /** The next call of {@code action} is carried out, but its answer is replaced by a 500 (a lost answer). */
    void loseNextAnswer(String action) {
        lostAnswers.add(action);
    }

    private Failure failureFor(String action) {
        Deque<Failure> queue = scripted.get(action);
        Failure next = queue == null ? null : queue.poll();
        return next != null ? next : always.get(action);
    }

    private String answer(String action, String region, Map<String, String> p) {
        return switch (action) {
            case "DescribeRegions" -> describeRegions();
            case "DescribeInstanceTypes" -> describeInstanceTypes(p);
            case "DescribeImages" -> describeImages(region, p);
            case "ImportKeyPair" -> importKeyPair(region, p);
            case "DescribeKeyPairs" -> describeKeyPairs(region, p);
            case "DeleteKeyPair" -> keyPairs.get(region).remove(p.get("KeyName")) == null
                    ? "<return>true</return>" : "<return>true</return><keyPairId>key-0" + region.length() + "</keyPairId>";
            case "DescribeVpcs" -> "<vpcSet><item><vpcId>vpc-" + region + "</vpcId><state>available</state>"
                    + "<cidrBlock>172.31.0.0/16</cidrBlock><isDefault>true</isDefault></item></vpcSet>";
            case "DescribeSecurityGroups" -> describeSecurityGroups(region);
            case "CreateSecurityGroup" -> {
                String id = "sg-" + Integer.toHexString(ids.incrementAndGet());
                securityGroups.put(region, id);
                yield "<return>true</return><groupId>" + id + "</groupId>";
            }
            case "AuthorizeSecurityGroupIngress" -> "<return>true</return>";
            case "RunInstances" -> runInstances(region, p);
            case "DescribeInstances" -> describeInstances(region, p);
            case "RebootInstances", "ModifyInstanceAttribute" -> modify(region, p);
            case "StopInstances" -> transition(region, p, "stopping");
            case "StartInstances" -> transition(region, p, "pending");
            case "TerminateInstances" -> transition(region, p, "shutting-down");
            default -> null;
        };
    }

    private String describeRegions() {
        StringBuilder xml = new StringBuilder("<regionInfo>");
        for (String region : REGIONS) {
            xml.append("<item><regionName>").append(region).append("</regionName><regionEndpoint>ec2.").append(region)
                    .append(".amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>");
        }
        return xml.append("</regionInfo>").toString();
    }

    private String describeInstanceTypes(Map<String, String> p) {
        List<String> patterns = filter(p, "instance-type");
        List<String> matching = instanceTypes.stream()
                .filter(type -> patterns.isEmpty() || patterns.stream().anyMatch(g -> type.matches(g.replace(".", "\\.").replace("*", ".*"))))
                .filter(type -> !filter(p, "processor-info.supported-architecture").contains("x86_64") || !type.startsWith("t4g"))
                .toList();
        int start = p.containsKey("NextToken") ? Integer.parseInt(p.get("NextToken")) : 0;
        int end = Math.min(matching.size(), start + pageSize);
        StringBuilder xml = new StringBuilder("<instanceTypeSet>");
        for (String type : matching.subList(start, end)) {
            int vcpus = type.endsWith("nano") || type.endsWith("micro") || type.endsWith("small") || type.endsWith("medium")
                    || type.endsWith(".large") ? 2 : 4;
            long memory = switch (type.substring(type.indexOf('.') + 1)) {
                case "nano" -> 512;
                case "micro" -> 1024;
                case "small" -> 2048;
                case "medium" -> 4096;
                case "large" -> type.startsWith("c") ? 4096 : 8192;
                default -> 8192;
            };
            xml.append("<item><instanceType>").append(type).append("</instanceType><currentGeneration>true")
                    .append("</currentGeneration><processorInfo><supportedArchitectures><item>x86_64</item>")
                    .append("</supportedArchitectures></processorInfo><vCpuInfo><defaultVCpus>").append(vcpus)
                    .append("</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>").append(memory)
                    .append("</sizeInMiB></memoryInfo><instanceStorageSupported>false</instanceStorageSupported>")
                    .append("<ebsInfo><ebsOptimizedSupport>default</ebsOptimizedSupport></ebsInfo></item>");
        }
        xml.append("</instanceTypeSet>");
        if (end < matching.size()) {
            xml.append("<nextToken>").append(end).append("</nextToken>");
        }
        return xml.toString();
    }

    private String describeImages(String region, Map<String, String> p) {
        List<String> ids = list(p, "ImageId");
        List<String> owners = list(p, "Owner");
        List<String> names = filter(p, "name");
        boolean known = ids.isEmpty() || images.stream().anyMatch(i -> i.region().equals(region) && ids.contains(i.id()));
        if (!known) {
            return null;
        }
        StringBuilder xml = new StringBuilder("<imagesSet>");
        images.stream().filter(i -> i.region().equals(region))
                .filter(i -> ids.isEmpty() || ids.contains(i.id()))
                .filter(i -> owners.isEmpty() || owners.contains(i.owner()))
                .filter(i -> names.isEmpty() || names.stream().anyMatch(g -> i.name().matches(glob(g))))
                .forEach(i -> xml.append("<item><imageId>").append(i.id()).append("</imageId><imageOwnerId>")
                        .append(i.owner()).append("</imageOwnerId><imageState>available</imageState><isPublic>true")
                        .append("</isPublic><architecture>x86_64</architecture><imageType>machine</imageType>")
                        .append("<creationDate>").append(i.created()).append("</creationDate><name>").append(i.name())
                        .append("</name><rootDeviceType>ebs</rootDeviceType><rootDeviceName>").append(i.rootDevice())
                        .append("</rootDeviceName><virtualizationType>hvm</virtualizationType></item>"));
        return xml.append("</imagesSet>").toString();
    }

    private String importKeyPair(String region, Map<String, String> p) {
        String material = new String(Base64.getDecoder().decode(p.get("PublicKeyMaterial")), StandardCharsets.UTF_8);
        keyPairs.get(region).put(p.get("KeyName"), material);
        return "<keyFingerprint>" + fingerprint(material) + "</keyFingerprint><keyName>" + esc(p.get("KeyName"))
                + "</keyName><keyPairId>key-" + Integer.toHexString(ids.incrementAndGet()) + "</keyPairId>";
    }

    private String describeKeyPairs(String region, Map<String, String> p) {
        StringBuilder xml = new StringBuilder("<keySet>");
        for (String name : list(p, "KeyName")) {
            String material = keyPairs.get(region).get(name);
            if (material == null) {
                return null;
            }
            xml.append("<item><keyName>").append(esc(name)).append("</keyName><keyFingerprint>").append(fingerprint(material))
                    .append("</keyFingerprint>");
            if ("true".equals(p.get("IncludePublicKey"))) {
                xml.append("<publicKey>").append(esc(material)).append("</publicKey>");
            }
            xml.append("</item>");
        }
        return xml.append("</keySet>").toString();
    }

    private String describeSecurityGroups(String region) {
        String id = securityGroups.get(region);
        return id == null ? "<securityGroupInfo/>" : "<securityGroupInfo><item><ownerId>123456789012</ownerId><groupId>"
                + id + "</groupId><groupName>vip-panel-web</groupName><vpcId>vpc-" + region + "</vpcId></item></securityGroupInfo>";
    }

    private String runInstances(String region, Map<String, String> p) {
        String token = p.get("ClientToken");
        StubInstance earlier = token == null ? null : instances.get(clientTokens.getOrDefault(token, ""));
        if (earlier != null) {
            return "<reservationId>r-0" + earlier.id.substring(3) + "</reservationId><ownerId>123456789012</ownerId>"
                    + "<instancesSet>" + instanceXml(earlier) + "</instancesSet>";
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; p.containsKey("TagSpecification.1.Tag." + i + ".Key"); i++) {
            tags.put(p.get("TagSpecification.1.Tag." + i + ".Key"), p.get("TagSpecification.1.Tag." + i + ".Value"));
        }
        String id = "i-0" + Integer.toHexString(ids.incrementAndGet()) + "abc";
        StubInstance instance = new StubInstance(id, region, p.get("ImageId"), p.get("InstanceType"), p.get("KeyName"), tags);
        instances.put(id, instance);
        if (token != null) {
            clientTokens.put(token, id);
        }
        return "<reservationId>r-0" + id.substring(3) + "</reservationId><ownerId>123456789012</ownerId><instancesSet>"
                + instanceXml(instance) + "</instancesSet>";
    }

    private String describeInstances(String region, Map<String, String> p) {
        List<StubInstance> found = new ArrayList<>();
        for (String id : list(p, "InstanceId")) {
            StubInstance instance = instances.get(id);
            if (instance == null || !instance.region.equals(region)) {
                return null;
            }
            settle(instance);
            found.add(instance);
        }
        StringBuilder xml = new StringBuilder("<reservationSet>");
        for (StubInstance instance : found) {
            xml.append("<item><reservationId>r-0").append(instance.id.substring(3)).append("</reservationId><ownerId>")
                    .append("123456789012</ownerId><groupSet/><instancesSet>").append(instanceXml(instance))
                    .append("</instancesSet></item>");
        }
        return xml.append("</reservationSet>").toString();
    }

    private void settle(StubInstance instance) {
        if (instance.state.equals(stuckState)) {
            return;
        }
        if (++instance.polls >= POLLS_TO_SETTLE) {
            instance.state = switch (instance.state) {
                case "pending" -> "running";
                case "stopping" -> "stopped";
                case "shutting-down" -> "terminated";
                default -> instance.state;
            };
        }
    }

    private String modify(String region, Map<String, String> p) {
        String id = p.containsKey("InstanceId") ? p.get("InstanceId") : list(p, "InstanceId").getFirst();
        StubInstance instance = instances.get(id);
        if (instance == null || !instance.region.equals(region)) {
            return null;
        }
        if (p.containsKey("InstanceType.Value")) {
            instance.type = p.get("InstanceType.Value");
        }
        return "<return>true</return>";
    }

    private String transition(String region, Map<String, String> p, String next) {
        StringBuilder xml = new StringBuilder("<instancesSet>");
        for (String id : list(p, "InstanceId")) {
            StubInstance instance = instances.get(id);
            if (instance == null || !instance.region.equals(region)) {
                return null;
            }
            String previous = instance.state;
            if (!(next.equals("stopping") && previous.equals("stopped"))) {
                instance.state = next;
                instance.polls = 0;
            }
            xml.append("<item><instanceId>").append(id).append("</instanceId><currentState><code>")
                    .append(code(instance.state)).append("</code><name>").append(instance.state)
                    .append("</name></currentState><previousState><code>").append(code(previous))
                    .append("</code><name>").append(previous).append("</name></previousState></item>");
        }
        return xml.append("</instancesSet>").toString();
    }

    private static String instanceXml(StubInstance instance) {
        StringBuilder xml = new StringBuilder("<item><instanceId>").append(instance.id).append("</instanceId><imageId>")
                .append(instance.imageId).append("</imageId><instanceState><code>").append(code(instance.state))
                .append("</code><name>").append(instance.state).append("</name></instanceState><privateDnsName>")
                .append("ip-172-31-1-10.ec2.internal</privateDnsName><dnsName/>");
        if (instance.keyName != null) {
            xml.append("<keyName>").append(esc(instance.keyName)).append("</keyName>");
        }
        xml.append("<amiLaunchIndex>0</amiLaunchIndex><instanceType>").append(instance.type).append("</instanceType>")
                .append("<launchTime>2026-11-26T03:00:00.000Z</launchTime><placement><availabilityZone>")
                .append(instance.region).append("a</availabilityZone><tenancy>default</tenancy></placement>")
                .append("<privateIpAddress>172.31.1.10</privateIpAddress>");
        if (instance.state.equals("running")) {
            xml.append("<ipAddress>203.0.113.").append(instance.id.length() + 7).append("</ipAddress>");
        }
        xml.append("<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><networkInterfaceSet><item>")
                .append("<networkInterfaceId>eni-0").append(instance.id.substring(3)).append("</networkInterfaceId>")
                .append("<ipv6AddressesSet><item><ipv6Address>2001:db8::").append(instance.id.substring(3, 7))
                .append("</ipv6Address></item></ipv6AddressesSet></item></networkInterfaceSet><tagSet>");
        instance.tags.forEach((key, value) -> xml.append("<item><key>").append(esc(key)).append("</key><value>")
                .append(esc(value)).append("</value></item>"));
        return xml.append("</tagSet></item>").toString();
    }

    private static int code(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            default -> 80;
        };
    }

    /** The values of the filter called {@code name} ({@code Filter.N.Name} / {@code Filter.N.Value.M}). */
    static List<String> filter(Map<String, String> p, String name) {
        for (int i = 1; p.containsKey("Filter." + i + ".Name"); i++) {
            if (p.get("Filter." + i + ".Name").equals(name)) {
                return list(p, "Filter." + i + ".Value");
            }
        }
        return List.of();
    }

    static List<String> list(Map<String, String> p, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + "." + i); i++) {
            values.add(p.get(prefix + "." + i));
        }
        return Collections.unmodifiableList(values);
    }

    private static String glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(part));
        }
        return regex.toString();
    }

    private static String fingerprint(String material) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(
                Integer.toHexString(material.hashCode()).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
