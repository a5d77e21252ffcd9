package io.vippanel.automation;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A managed server for tests: a real OpenSSH {@code sshd} on 127.0.0.1 with a throwaway host key and a throwaway
 * login user, so the runners are tested over real SSH with real key checks.
 *
 * <p>The user {@code vipdeploy} (a normal uid, home inside the fixture's folder) exists only inside the private
 * mount namespace sshd runs in ({@code unshare --mount}): copies of /etc/passwd, /etc/shadow and /etc/group that add
 * it are bind-mounted over the originals there, and a tmpfs covers /run for sshd's privilege-separation folder.
 * The machine's own /etc and /run are never written. Needs root (sshd, mounts); {@link #assumeUsable} skips the
 * tests elsewhere, except under CI, where they must run.
 */
final class TestSshHost implements AutoCloseable {

    static final String USER = "vipdeploy";
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path root;
    private final Path hostKey;
    private final Path config;
    private final Path home;
    private final int uid;
    private final int port;
    private final SshKey clientKey;
    private Process sshd;

    private TestSshHost(Path root, int uid, int port) throws IOException, InterruptedException {
        this.root = root;
        this.uid = uid;
        this.port = port;
        this.hostKey = root.resolve("server/ssh_host_ed25519_key");
        this.config = root.resolve("server/sshd_config");
        this.home = root.resolve("home/" + USER);
        Files.createDirectories(hostKey.getParent());
        Files.createDirectories(home);
        Files.setAttribute(home, "unix:uid", uid);
        Files.setAttribute(home, "unix:gid", uid);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path clientKeyFile = root.resolve("client/id_ed25519");
        Files.createDirectories(clientKeyFile.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "panel@test", "-f", clientKeyFile.toString());
        this.clientKey = SshKey.of(Files.readString(clientKeyFile));
        String clientPublicKey = Files.readString(clientKeyFile.resolveSibling("id_ed25519.pub")).strip();
        Files.delete(clientKeyFile); // from here on the key lives in memory only, as in the panel

        Path authorizedKeys = root.resolve("server/authorized_keys");
        Files.writeString(authorizedKeys, clientPublicKey + "\n");
        Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-r--r--"));
        writeAccountFiles();
        Files.writeString(config, String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + root.resolve("server/sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                "AllowUsers " + USER,
                // the fixture's folders sit under world-writable /tmp, which StrictModes would refuse
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin no",
                "LogLevel VERBOSE",
                "MaxStartups 100",
                ""));
        generateHostKey();
    }

    /** Skips the calling tests when sshd cannot be run here, unless CI is set: there they must run, so they fail. */
    static void assumeUsable(boolean needsAnsible) {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root");
        }
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/setsid")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (needsAnsible && !Files.isExecutable(Path.of("/usr/bin/ansible-playbook"))) {
            missing.add("/usr/bin/ansible-playbook");
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "SSH test host needs " + String.join(", ", missing)
                + " (apt-get install -y ansible openssh-server openssh-client; run as root)";
        if (System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(false, reason);
    }

    private static boolean isRoot() {
        return realUidIn(Path.of("/proc/self/status")) == 0;
    }

    /** The real uid in a /proc/<pid>/status file, or -1 when the process is gone. */
    private static int realUidIn(Path status) {
        try {
            return Files.readAllLines(status).stream().filter(line -> line.startsWith("Uid:"))
                    .mapToInt(line -> Integer.parseInt(line.split("\\s+")[1])).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    static TestSshHost start() throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("vip-test-host-");
        // the login user must be able to reach its home and the authorized keys below this folder
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        TestSshHost host = new TestSshHost(root, freeUid(), freePort());
        try {
            host.startSshd();
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** The server as the runners see it: address, port, user and the currently pinned host key. */
    ManagedHost managedHost() {
        return new ManagedHost("127.0.0.1", port, USER, pinnedKnownHosts());
    }

    /** The known_hosts line for the host key sshd has now. */
    String pinnedKnownHosts() {
        try {
            String[] publicKey = Files.readString(hostKey.resolveSibling(hostKey.getFileName() + ".pub")).strip().split(" ");
            return "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1] + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SshKey clientKey() {
        return clientKey;
    }

    /** The login user's home folder, readable from outside to check what a playbook did. */
    Path home() {
        return home;
    }

    int uid() {
        return uid;
    }

    int port() {
        return port;
    }

    /** sshd's own log (-e), for failure messages. */
    String log() {
        try {
            return Files.readString(root.resolve("server/sshd.log"));
        } catch (IOException e) {
            return "(no sshd log: " + e + ")";
        }
    }

    /** Simulates a rebuilt server (or an impostor): sshd restarts on the same port with a new host key. */
    void regenerateHostKey() throws IOException, InterruptedException {
        stopSshd();
        generateHostKey();
        startSshd();
    }

    private void generateHostKey() throws IOException, InterruptedException {
        Files.deleteIfExists(hostKey);
        Files.deleteIfExists(hostKey.resolveSibling(hostKey.getFileName() + ".pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey.toString());
    }

    private void writeAccountFiles() throws IOException {
        Path accounts = root.resolve("server/etc");
        Files.createDirectories(accounts);
        String gecos = "VIP panel test login";
        Files.writeString(accounts.resolve("passwd"), Files.readString(Path.of("/etc/passwd"))
                + USER + ":x:" + uid + ":" + uid + ":" + gecos + ":" + home + ":/bin/sh\n");
        Files.writeString(accounts.resolve("group"), Files.readString(Path.of("/etc/group")) + USER + ":x:" + uid + ":\n");
        // "*": no password can match, yet the account is not locked (a "!" would make sshd refuse key logins too)
        Files.writeString(accounts.resolve("shadow"), Files.readString(Path.of("/etc/shadow")) + USER + ":*:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(accounts.resolve("shadow"), PosixFilePermissions.fromString("rw-------"));
    }

    private void startSshd() throws IOException, InterruptedException {
        Path accounts = root.resolve("server/etc");
        // The script is fixed text; the paths reach it as positional parameters, never spliced into it.
        String script = "mount -t tmpfs -o mode=0755 vip-test-run /run && mkdir -m 0755 /run/sshd"
                + " && mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/shadow && mount --bind \"$3\" /etc/group"
                + " && exec \"$4\" -D -e -f \"$5\"";
        sshd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh",
                accounts.resolve("passwd").toString(), accounts.resolve("shadow").toString(),
                accounts.resolve("group").toString(), SSHD.toString(), config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("server/sshd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd did not start:\n" + log());
            }
            if (answersSsh()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("sshd did not answer on port " + port + ":\n" + log());
    }

    private boolean answersSsh() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] banner = in.readNBytes(4);
            return new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    private void stopSshd() throws InterruptedException {
        if (sshd == null) {
            return;
        }
        sshd.descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroy();
        if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
            sshd.destroyForcibly();
            sshd.waitFor(5, TimeUnit.SECONDS);
        }
        sshd = null;
    }

    @Override
    public void close() throws InterruptedException {
        stopSshd();
        killProcessesOfTheLoginUser();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the test host's folder " + root, e);
        }
    }

    /**
     * A command whose SSH connection was cut (a cancelled or timed-out run) goes on running on the server, detached
     * from sshd, as on any real server. Here it runs as the throwaway uid, which no one else uses, so everything
     * running as that uid is the test's leftover.
     */
    private void killProcessesOfTheLoginUser() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .filter(entry -> realUidIn(entry.resolve("status")) == uid)
                    .forEach(entry -> ProcessHandle.of(Long.parseLong(entry.getFileName().toString()))
                            .ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A uid no account of this machine uses and no process runs as (another fixture may be running), so files and
     * processes of the test user belong to this fixture alone.
     */
    private static int freeUid() throws IOException {
        Set<String> accounts = Files.readAllLines(Path.of("/etc/passwd")).stream().map(line -> line.split(":")[2])
                .collect(Collectors.toSet());
        Set<Integer> running;
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            running = entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .map(entry -> realUidIn(entry.resolve("status"))).collect(Collectors.toSet());
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int uid = ThreadLocalRandom.current().nextInt(47000, 49000);
            if (!accounts.contains(Integer.toString(uid)) && !running.contains(uid)) {
                return uid;
            }
        }
        throw new IllegalStateException("no free uid between 47000 and 49000");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
