package io.vippanel.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vippanel.automation.SshKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A managed server for tests on this machine: a real OpenSSH server in its own network, mount, UTS and PID
 * namespaces, reachable at {@link #address()} (10.77.N.2) from the machine (the panel side, {@link #panelAddress()}
 * 10.77.N.1) over a veth pair. Playbooks install and run real services in it (nginx, PHP-FPM, MariaDB, Redis,
 * fail2ban, node_exporter, ufw) without touching the machine's own.
 *
 * <p>What is private to the host: the network (its firewall rules too), a copy of /etc (without the machine's SSH
 * host keys and PostgreSQL clusters), a tmpfs over /run, empty or skeleton copies of /var/log, /var/www, /var/mail,
 * /var/lib/{mysql,php,redis,nginx,postgresql,fail2ban,prometheus,sudo}, /var/lib/dpkg/alternatives, /root, /home,
 * /srv, /tmp and /var/tmp, and an empty /usr/local/lib/vip-panel (the site playbooks' programs) and /var/lib/vip-acme
 * (the sites' ACME HTTP-01 answers). /usr and the dpkg
 * database are the machine's: install packages on the machine first (the host has no route out, so apt cannot
 * download anything). There is no systemd: PID 1 is a small reaper named
 * {@code vip-testhost} (ansible then manages services through their init scripts).
 *
 * <p>Not isolated, so never do it in a test host: {@code swapon} (the machine's kernel), kernel sysctls outside
 * net.*, loading kernel modules, starting a PostgreSQL cluster on the machine's data (this host's is empty).
 *
 * <p>sshd starts with {@code PermitRootLogin yes} and {@code PasswordAuthentication yes} for root with a random
 * {@link #rootPassword()} (the panel's "custom server" flow logs in once with a password). {@link #close()} kills
 * the host's PID 1, so the kernel kills every process in it, and removes the network namespace and the folders; a
 * shutdown hook does the same if a test forgets. Needs root; {@link #assumeUsable()} skips outside CI and fails
 * under CI.
 */
public final class TestManagedServer implements AutoCloseable {

    /** What a command run inside the host printed (stdout and stderr together) and its exit code. */
    public record ExecResult(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** A fresh ed25519 key: the private key as the panel holds it, and its public line for authorized_keys. */
    public record PanelKey(SshKey privateKey, String publicKey) {
    }

    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> TOOLS = List.of("/usr/sbin/ip", "/usr/bin/unshare", "/usr/bin/nsenter",
            "/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/python3", "/usr/sbin/chpasswd", "/bin/cp");
    /** Copied whole: small folders whose content the host needs (configuration, module lists, default pages). */
    private static final List<String> COPIES = List.of("etc", "var/www", "var/lib/php", "var/lib/nginx",
            "var/lib/fail2ban", "var/lib/prometheus", "var/lib/dpkg/alternatives");
    /** Folders only, same owners and modes: where services expect their subfolders (log folders). */
    private static final List<String> SKELETONS = List.of("var/log");
    /** Empty, same owner and mode as the machine's: data and homes. */
    private static final List<String> EMPTY = List.of("var/lib/mysql", "var/lib/redis", "var/lib/postgresql",
            "var/lib/sudo", "var/mail", "root", "home", "srv", "tmp", "var/tmp");
    /**
     * Empty (root, 0755) whether or not the machine has them: folders under the shared /usr where playbooks install
     * their own programs, so hosts neither write into the machine's /usr nor into each other's.
     */
    private static final List<String> HOST_ONLY = List.of("usr/local/lib/vip-panel", "var/lib/vip-acme");

    /** Packages a managed server's playbooks configure: their configuration files must be as the package ships them. */
    private static final List<String> CONFIGURED_PACKAGES = List.of("mariadb-server", "mariadb-common", "mysql-common",
            "nginx", "nginx-common", "redis-server", "fail2ban", "ufw", "prometheus-node-exporter", "openssh-server", "sudo",
            "unattended-upgrades");

    private final int net;
    private final String namespace;
    private final Path root;
    private final String hostname;
    private final String rootPassword;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "test-managed-server-cleanup");
    private Process process;
    private long initPid = -1;
    private String pidNamespace = "";
    private String hostKeyLine;
    private boolean closed;

    private TestManagedServer(int net, Path root) {
        this.net = net;
        this.namespace = "vipt" + net;
        this.root = root;
        this.hostname = "vip-test-" + net;
        this.rootPassword = TestFiles.randomPassword(24);
    }

    /** Skips the calling tests when a test host cannot run here, unless CI is set: there they must run, so they fail. */
    public static void assumeUsable() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root");
        }
        TOOLS.stream().filter(tool -> !Files.isExecutable(Path.of(tool))).forEach(missing::add);
        if (!Files.isDirectory(Path.of("/proc/self/ns")) || !Files.exists(Path.of("/proc/self/ns/net"))) {
            missing.add("network namespaces");
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "A test managed server needs " + String.join(", ", missing)
                + " (apt-get install -y iproute2 util-linux openssh-server openssh-client python3 passwd; run as root)";
        if (System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(false, reason);
    }

    /** Starts a host in a free 10.77.N.0/30 and waits until its sshd answers. */
    public static TestManagedServer start() throws IOException, InterruptedException {
        int first = ThreadLocalRandom.current().nextInt(1, 251);
        for (int attempt = 0; attempt < 250; attempt++) {
            int net = 1 + (first + attempt) % 250;
            // `ip netns add` fails if the name exists: that claims the number against other test hosts
            if (run(List.of("ip", "netns", "add", "vipt" + net)).exitCode() != 0) {
                continue;
            }
            Path root = Files.createTempDirectory("vip-testhost-" + net + "-");
            TestManagedServer server = new TestManagedServer(net, root);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                if (!server.createLink()) {
                    server.close();
                    continue;
                }
                server.prepareFiles();
                server.boot();
                return server;
            } catch (IOException | InterruptedException | RuntimeException e) {
                String log = server.log();
                server.closeQuietly();
                throw new IllegalStateException("The test host did not start: " + e.getMessage() + "\n" + log, e);
            }
        }
        throw new IllegalStateException("No free test host network (10.77.1-250.0/30, netns vipt1-vipt250)");
    }

    /** A new ed25519 key pair made with ssh-keygen; the private key lives in memory only, as in the panel. */
    public static PanelKey newPanelKey(String comment) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("vip-key-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path key = folder.resolve("id_ed25519");
            check(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString())), "ssh-keygen");
            return new PanelKey(SshKey.of(Files.readString(key)), Files.readString(folder.resolve("id_ed25519.pub")).strip());
        } finally {
            TestFiles.deleteTree(folder);
        }
    }

    /** The host's address (10.77.N.2). */
    public String address() {
        return "10.77." + net + ".2";
    }

    /** sshd's port. */
    public int port() {
        return 22;
    }

    /** The panel's side of the link (10.77.N.1): connections from this machine to the host come from here. */
    public String panelAddress() {
        return "10.77." + net + ".1";
    }

    /** The host name the host starts with. */
    public String hostname() {
        return hostname;
    }

    /** root's password; sshd accepts it until a playbook turns password logins off. */
    public String rootPassword() {
        return rootPassword;
    }

    /** The pinned known_hosts line for {@link #address()}: {@code 10.77.N.2 ssh-ed25519 AAAA...}. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** The name of the network namespace ({@code viptN}). */
    public String networkNamespace() {
        return namespace;
    }

    /**
     * Runs a shell command inside the host (all its namespaces) as root, for setup and out-of-band checks; waits up
     * to two minutes.
     */
    public ExecResult exec(String shellCommand) {
        return execWithInput(shellCommand, null);
    }

    /** Adds a public key line to root's authorized_keys. */
    public void installAuthorizedKey(String publicKey) {
        if (publicKey.contains("\n")) {
            throw new IllegalArgumentException("One key line, please");
        }
        check(execWithInput("umask 077 && mkdir -p /root/.ssh && cat >> /root/.ssh/authorized_keys", publicKey.strip() + "\n"),
                "installing root's key");
    }

    /** A file of the host as this machine can read it (through /proc/&lt;pid&gt;/root). */
    public Path file(String absolutePath) {
        return Path.of("/proc/" + initPid + "/root").resolve(absolutePath.replaceFirst("^/+", ""));
    }

    /** PID 1's output (the init scripts' messages), for failure messages. */
    public String log() {
        try {
            return Files.readString(root.resolve("testhost.log"));
        } catch (IOException e) {
            return "(no test host log: " + e + ")";
        }
    }

    /**
     * What is left of this host on the machine after {@link #close()}: its network namespace or veth, mounts that
     * mention its folder, processes in its PID or network namespace, its folder. Empty when the cleanup was complete.
     */
    public List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        String namespaces = run(List.of("ip", "netns", "list")).output();
        if (namespaces.lines().anyMatch(line -> line.split(" ")[0].equals(namespace))) {
            left.add("network namespace " + namespace);
        }
        if (run(List.of("ip", "link", "show", namespace + "h")).exitCode() == 0) {
            left.add("veth " + namespace + "h");
        }
        if (Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(line -> line.contains(root.toString())
                || line.contains("/run/netns/" + namespace + " "))) {
            left.add("mounts of " + root + " or /run/netns/" + namespace);
        }
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .filter(entry -> !pidNamespace.isEmpty() && pidNamespace.equals(readLink(entry.resolve("ns/pid"))))
                    .forEach(entry -> left.add("process " + entry.getFileName() + " (" + readComm(entry) + ")"));
        }
        if (Files.exists(root)) {
            left.add("folder " + root);
        }
        return left;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running
        }
        // PID 1 of the namespace dies: the kernel kills every process in it
        if (initPid > 0) {
            ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        waitForNamespaceToEmpty();
        run(List.of("ip", "link", "del", namespace + "h"));
        run(List.of("ip", "netns", "del", namespace));
        TestFiles.deleteTree(root);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("Cleaning up test host " + namespace + " failed: " + e);
        }
    }

    private boolean createLink() {
        String host = namespace + "h";
        String guest = namespace + "g";
        List<List<String>> steps = List.of(
                List.of("ip", "link", "add", host, "type", "veth", "peer", "name", guest, "netns", namespace),
                List.of("ip", "addr", "add", panelAddress() + "/30", "dev", host),
                List.of("ip", "link", "set", host, "up"),
                List.of("ip", "-n", namespace, "addr", "add", address() + "/30", "dev", guest),
                List.of("ip", "-n", namespace, "link", "set", guest, "up"),
                List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
        for (List<String> step : steps) {
            if (run(step).exitCode() != 0) {
                return false;
            }
        }
        return true;
    }

    private void prepareFiles() throws IOException {
        Path fs = root.resolve("fs");
        for (String folder : COPIES) {
            Path target = fs.resolve(folder);
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(Path.of("/" + folder))) {
                check(run(List.of("cp", "-a", "/" + folder, target.toString())), "copying /" + folder);
            }
        }
        for (String folder : SKELETONS) {
            copySkeleton(Path.of("/" + folder), fs.resolve(folder));
        }
        for (String folder : EMPTY) {
            Path source = Path.of("/" + folder);
            if (Files.isDirectory(source)) {
                Files.createDirectories(fs.resolve(folder));
                copyOwnerAndMode(source, fs.resolve(folder));
            }
        }
        for (String folder : HOST_ONLY) {
            Files.createDirectories(fs.resolve(folder));
            Files.setPosixFilePermissions(fs.resolve(folder), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path etc = fs.resolve("etc");
        // never hand out the machine's host keys; the host has its own
        try (Stream<Path> keys = Files.list(etc.resolve("ssh"))) {
            for (Path key : keys.filter(path -> path.getFileName().toString().startsWith("ssh_host_")).toList()) {
                Files.delete(key);
            }
        }
        deleteChildren(etc.resolve("ssh/sshd_config.d"));
        // a PostgreSQL cluster configuration would point at the machine's cluster: the host starts without one
        deleteChildren(etc.resolve("postgresql"));
        restoreMissingConfigurationFiles(fs);
        Path hostKey = etc.resolve("ssh/ssh_host_ed25519_key");
        check(run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", hostname, "-f", hostKey.toString())), "ssh-keygen");
        String[] publicKey = Files.readString(hostKey.resolveSibling("ssh_host_ed25519_key.pub")).strip().split(" ");
        hostKeyLine = address() + " " + publicKey[0] + " " + publicKey[1];
        Files.writeString(etc.resolve("ssh/sshd_config"), String.join("\n",
                "# test host: password logins for root until a playbook hardens this server",
                "Include /etc/ssh/sshd_config.d/*.conf",
                "HostKey /etc/ssh/ssh_host_ed25519_key",
                "PermitRootLogin yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "UsePAM yes",
                "PrintMotd no",
                "AcceptEnv LANG LC_*",
                "Subsystem sftp /usr/lib/openssh/sftp-server",
                ""));
        Files.writeString(etc.resolve("hostname"), hostname + "\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n127.0.1.1 " + hostname + "\n" + address() + " " + hostname
                + "\n::1 localhost ip6-localhost ip6-loopback\n");
        Path init = root.resolve("vip-testhost");
        try (InputStream script = TestManagedServer.class.getResourceAsStream("/testhost/vip-testhost")) {
            if (script == null) {
                throw new IllegalStateException("testhost/vip-testhost is missing from the test resources");
            }
            Files.write(init, script.readAllBytes());
        }
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * The machine may lack configuration files its packages ship (e.g. a hand-written /etc/mysql without
     * debian-start, which MariaDB's init script runs); a fresh server has them. They are taken from the package
     * files in apt's cache, or downloaded with apt-get (the machine's network, not the host's), into the host's
     * copy of /etc only.
     */
    private void restoreMissingConfigurationFiles(Path fs) throws IOException {
        List<String> installed = CONFIGURED_PACKAGES.stream()
                .filter(name -> run(List.of("dpkg-query", "--show", "--showformat=${db:Status-Abbrev}", name)).output().startsWith("ii"))
                .toList();
        Path packages = root.resolve("packages");
        List<String> missing = new ArrayList<>();
        for (String name : installed) {
            List<String> lacking = run(List.of("dpkg", "--verify", name)).output().lines().filter(line -> line.startsWith("missing"))
                    .map(line -> line.substring(line.indexOf(" /") + 1)).filter(path -> path.startsWith("/etc/")).toList();
            if (lacking.isEmpty()) {
                continue;
            }
            missing.addAll(lacking);
            Files.createDirectories(packages);
            String[] versionAndArch = run(List.of("dpkg-query", "--show", "--showformat=${Version} ${Architecture}", name))
                    .output().strip().split(" ");
            Path cached = Path.of("/var/cache/apt/archives", name + "_" + versionAndArch[0].replace(":", "%3a") + "_"
                    + versionAndArch[1] + ".deb");
            if (!Files.isRegularFile(cached)) {
                check(runIn(packages, List.of("apt-get", "download", "-q", name + "=" + versionAndArch[0])), "apt-get download " + name);
                try (Stream<Path> downloaded = Files.list(packages)) {
                    cached = downloaded.filter(deb -> deb.getFileName().toString().startsWith(name + "_")).findFirst().orElseThrow();
                }
            }
            // fixed script, paths as positional parameters
            check(run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" ./etc", "sh", cached.toString(),
                    packages.toString())), "unpacking " + cached);
        }
        for (String path : missing) {
            Path source = packages.resolve(path.substring(1));
            Path target = fs.resolve(path.substring(1));
            if (Files.exists(source) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target.getParent());
                check(run(List.of("cp", "-a", source.toString(), target.toString())), "restoring " + path);
            }
        }
        TestFiles.deleteTree(packages);
    }

    private void boot() throws IOException, InterruptedException {
        process = new ProcessBuilder("ip", "netns", "exec", namespace, "unshare", "--mount", "--uts", "--pid", "--fork",
                "--mount-proc", "--propagation", "private", "--", root.resolve("vip-testhost").toString(), root.toString(), hostname)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("testhost.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the host's init exited with " + process.exitValue());
            }
            if (initPid < 0) {
                findInit().ifPresent(pid -> {
                    initPid = pid;
                    pidNamespace = readLink(Path.of("/proc/" + pid + "/ns/pid"));
                });
            }
            if (initPid > 0 && answersSsh()) {
                check(execWithInput("chpasswd", "root:" + rootPassword + "\n"), "setting root's password");
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("sshd did not answer on " + address() + ":22 within 30 s");
    }

    private Optional<Long> findInit() {
        return process.toHandle().descendants().map(ProcessHandle::pid)
                .filter(pid -> "vip-testhost".equals(readComm(Path.of("/proc/" + pid))))
                .findFirst();
    }

    private boolean answersSsh() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address(), port()), 300);
            socket.setSoTimeout(2000);
            byte[] banner = socket.getInputStream().readNBytes(4);
            return new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    private ExecResult execWithInput(String shellCommand, String input) {
        if (initPid <= 0 || closed) {
            throw new IllegalStateException("The test host is not running");
        }
        List<String> command = List.of("nsenter", "--target", Long.toString(initPid), "--mount", "--uts", "--net", "--pid",
                "--wd=/", "--", "env", "-i", "PATH=" + PATH, "HOME=/root", "LANG=C.UTF-8", "sh", "-c", shellCommand);
        return runWithInput(command, input, null, 120);
    }

    private void waitForNamespaceToEmpty() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) {
                boolean anyLeft;
                try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
                    anyLeft = entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                            .anyMatch(entry -> !pidNamespace.isEmpty() && pidNamespace.equals(readLink(entry.resolve("ns/pid"))));
                }
                if (!anyLeft) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copySkeleton(Path source, Path target) throws IOException {
        try (Stream<Path> folders = Files.walk(source)) {
            for (Path folder : folders.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Path copy = target.resolve(source.relativize(folder).toString());
                Files.createDirectories(copy);
                copyOwnerAndMode(folder, copy);
            }
        }
    }

    private static void copyOwnerAndMode(Path source, Path target) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(source, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Files.setOwner(target, attributes.owner());
        Files.getFileAttributeView(target, PosixFileAttributeView.class).setGroup(attributes.group());
        // chmod keeps the sticky and setgid bits that PosixFilePermissions cannot express (e.g. /tmp 1777)
        int mode = (Integer) Files.getAttribute(source, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        check(run(List.of("chmod", Integer.toOctalString(mode), target.toString())), "chmod");
    }

    private static void deleteChildren(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.toList()) {
                TestFiles.deleteTree(child);
            }
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String readComm(Path processFolder) {
        try {
            return Files.readString(processFolder.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static ExecResult check(ExecResult result, String what) {
        if (!result.succeeded()) {
            throw new IllegalStateException(what + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result;
    }

    private static ExecResult run(List<String> command) {
        return runWithInput(command, null, null, 60);
    }

    private static ExecResult runIn(Path directory, List<String> command) {
        return runWithInput(command, null, directory, 120);
    }

    private static ExecResult runWithInput(List<String> command, String input, Path directory, int timeoutSeconds) {
        Path output = null;
        try {
            // output to a file, not a pipe: a daemon the command starts may keep the pipe open for good
            output = Files.createTempFile("vip-testhost-exec-", ".out");
            Process started = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(output.toFile())).start();
            try (OutputStream stdin = started.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!started.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                started.descendants().forEach(ProcessHandle::destroyForcibly);
                started.destroyForcibly();
                return new ExecResult(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            return new ExecResult(started.exitValue(), Files.readString(output));
        } catch (IOException e) {
            return new ExecResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "interrupted");
        } finally {
            if (output != null) {
                TestFiles.deleteTree(output);
            }
        }
    }
}
