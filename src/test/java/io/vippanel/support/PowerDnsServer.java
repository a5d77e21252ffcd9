package io.vippanel.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vippanel.dns.internal.provider.DnsCredentials;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real PowerDNS Authoritative server (Debian's {@code pdns-server} with the SQLite backend) for tests: its own
 * database and configuration in a temporary folder, the HTTP API and DNS on free loopback ports, every cache off so
 * that an answer always shows the latest change. Start one per test class; {@link #close()} stops it and removes the
 * folder, and a shutdown hook does the same if a test forgets.
 */
public final class PowerDnsServer implements AutoCloseable {

    /** The name servers {@link #credentials()} delegates new zones to; {@code .test} never resolves outside. */
    public static final List<String> NAMESERVERS = List.of("ns1.panel.test", "ns2.panel.test");

    private static final Path PDNS_SERVER = Path.of("/usr/sbin/pdns_server");
    private static final Path SQLITE3 = Path.of("/usr/bin/sqlite3");
    private static final Path DIG = Path.of("/usr/bin/dig");
    private static final Path SCHEMA = Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql");
    private static final String LOOPBACK = "127.0.0.1";
    private static final int START_ATTEMPTS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path folder;
    private final String apiKey;
    private final Thread shutdownHook;
    private Process process;
    private int apiPort;
    private int dnsPort;

    private PowerDnsServer(Path folder) {
        this.folder = folder;
        this.apiKey = TestFiles.randomPassword(32);
        this.shutdownHook = new Thread(this::stop, "pdns-test-server-stop");
    }

    /** Fails under CI (scripts/test.sh installs the packages there) and skips elsewhere when a part is missing. */
    public static void assumeUsable() {
        List<String> missing = Stream.of(PDNS_SERVER, SQLITE3, DIG, SCHEMA)
                .filter(path -> !Files.isReadable(path))
                .map(Path::toString)
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "A test PowerDNS server needs " + String.join(", ", missing)
                + " (apt-get install -y pdns-server pdns-backend-sqlite3 sqlite3 bind9-dnsutils)";
        if (System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(false, reason);
    }

    /**
     * Starts a server on 127.0.0.1 and waits until its API and its DNS port answer.
     *
     * @param alsoListenOn further local addresses DNS is served on, e.g. the host side of a test host's network
     */
    public static PowerDnsServer start(String... alsoListenOn) throws IOException, InterruptedException {
        PowerDnsServer server = new PowerDnsServer(Files.createTempDirectory("vip-pdns-"));
        try {
            server.createDatabase();
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.launch(List.of(alsoListenOn));
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    /** The API's base address, {@code http://127.0.0.1:port} (the panel adds {@code /api/v1}). */
    public String apiUrl() {
        return "http://" + LOOPBACK + ":" + apiPort;
    }

    public String apiKey() {
        return apiKey;
    }

    public String dnsAddress() {
        return LOOPBACK;
    }

    /** The DNS port, UDP and TCP. */
    public int dnsPort() {
        return dnsPort;
    }

    /** This server as a panel DNS account that delegates new zones to {@link #NAMESERVERS}. */
    public DnsCredentials.PowerDns credentials() {
        return new DnsCredentials.PowerDns(apiUrl(), apiKey, "localhost", NAMESERVERS);
    }

    /** Asks the server over UDP (TCP when the answer is truncated); {@code type} as in {@link Type}. */
    public Message query(String name, int type) throws IOException {
        return resolver(0).send(question(name, type));
    }

    /** As {@link #query}, with the DNSSEC OK bit set, so a signed zone answers with its RRSIGs. */
    public Message queryWithDnssec(String name, int type) throws IOException {
        return resolver(ExtendedFlags.DO).send(question(name, type));
    }

    /**
     * Runs {@code dig @127.0.0.1 -p port} with these arguments (e.g. {@code example.com TXT +short}) and returns what
     * it printed; fails the test when dig fails.
     */
    public String dig(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DIG.toString(), "@" + LOOPBACK, "-p", String.valueOf(dnsPort),
                "+time=2", "+tries=2"));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(folder, "dig-", ".out");
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!dig.waitFor(30, TimeUnit.SECONDS)) {
            dig.destroyForcibly();
            fail("dig did not finish within 30 s: " + String.join(" ", command));
        }
        String printed = Files.readString(output);
        if (dig.exitValue() != 0) {
            fail("dig failed (" + dig.exitValue() + "): " + String.join(" ", command) + "\n" + printed);
        }
        return printed;
    }

    /** What the server logged so far. */
    public String log() {
        return TestProcesses.readLog(folder.resolve("pdns.log"));
    }

    @Override
    public void close() {
        TestProcesses.runShutdownHookNow(shutdownHook);
    }

    private synchronized void stop() {
        TestProcesses.stop(process);
        TestFiles.deleteTree(folder);
    }

    private void createDatabase() throws IOException, InterruptedException {
        Process sqlite = new ProcessBuilder(SQLITE3.toString(), folder.resolve("pdns.sqlite3").toString())
                .redirectInput(SCHEMA.toFile())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("sqlite3.log").toFile())
                .start();
        if (!sqlite.waitFor(30, TimeUnit.SECONDS) || sqlite.exitValue() != 0) {
            sqlite.destroyForcibly();
            throw new IllegalStateException("sqlite3 could not create the PowerDNS database from " + SCHEMA + ": "
                    + Files.readString(folder.resolve("sqlite3.log")));
        }
    }

    /** Free ports can be taken between choosing and binding them; a failed bind starts over on other ports. */
    private void launch(List<String> alsoListenOn) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            apiPort = freeTcpPort();
            dnsPort = freeTcpAndUdpPort();
            Files.writeString(folder.resolve("pdns.conf"), configuration(alsoListenOn));
            process = new ProcessBuilder(PDNS_SERVER.toString(), "--config-dir=" + folder)
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("pdns.log").toFile())
                    .start();
            if (awaitReady()) {
                return;
            }
            String log = log();
            boolean portTaken = log.contains("Unable to bind") || log.contains("Address already in use");
            if (!portTaken || attempt >= START_ATTEMPTS) {
                throw new IllegalStateException("PowerDNS did not start (attempt " + attempt + ", API port " + apiPort
                        + ", DNS port " + dnsPort + ", exit " + (process.isAlive() ? "none, still running" : process.exitValue())
                        + "):\n" + log);
            }
        }
    }

    /**
     * The settings that matter: the SQLite backend with DNSSEC columns, the API on loopback only, no syslog and no
     * security poll (a DNS query to the outside), and every cache at 0 so a test sees a change in the next answer.
     * The server runs as whoever starts it (no setuid), which works as root.
     */
    private String configuration(List<String> alsoListenOn) {
        List<String> addresses = new ArrayList<>(List.of(LOOPBACK));
        addresses.addAll(alsoListenOn);
        return String.join("\n",
                "launch=gsqlite3",
                "gsqlite3-database=" + folder.resolve("pdns.sqlite3"),
                "gsqlite3-dnssec=yes",
                "gsqlite3-pragma-synchronous=0",
                "api=yes",
                "api-key=" + apiKey,
                "webserver=yes",
                "webserver-address=" + LOOPBACK,
                "webserver-port=" + apiPort,
                "webserver-allow-from=127.0.0.0/8",
                "webserver-loglevel=none",
                "local-address=" + String.join(", ", addresses),
                "local-port=" + dnsPort,
                "daemon=no",
                "guardian=no",
                "disable-syslog=yes",
                "socket-dir=" + folder,
                "loglevel=3",
                "security-poll-suffix=",
                "default-soa-content=" + NAMESERVERS.getFirst() + ". hostmaster.@ 0 10800 3600 604800 3600",
                "cache-ttl=0",
                "negquery-cache-ttl=0",
                "query-cache-ttl=0",
                "domain-metadata-cache-ttl=0",
                "dnssec-key-cache-ttl=0",
                "receiver-threads=1",
                "distributor-threads=1",
                "");
    }

    /** True once the API and the DNS port both answer; false when the process ends or time runs out first. */
    private boolean awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                if (apiAnswers(http) && dnsAnswers()) {
                    return true;
                }
                Thread.sleep(100);
            }
        }
        return false;
    }

    private boolean apiAnswers(HttpClient http) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + "/api/v1/servers/localhost"))
                .header("X-API-Key", apiKey)
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Any answer counts, REFUSED for the root zone included: the server is taking questions. */
    private boolean dnsAnswers() {
        try {
            SimpleResolver resolver = resolver(0);
            resolver.setTimeout(Duration.ofSeconds(1));
            resolver.send(question(".", Type.SOA));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private SimpleResolver resolver(int ednsFlags) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsPort));
        resolver.setEDNS(0, 1232, ednsFlags, List.of());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message question(String name, int type) throws TextParseException {
        return Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type,
                DClass.IN));
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static int freeTcpAndUdpPort() throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            int port = freeTcpPort();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                return udp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP only: try another
            }
        }
        throw new IOException("no port on " + LOOPBACK + " was free for both TCP and UDP");
    }
}
