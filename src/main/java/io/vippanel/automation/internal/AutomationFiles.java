package io.vippanel.automation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Finds the folder with {@code playbooks/}, {@code roles/} and {@code templates/}.
 *
 * <p>In a checkout (and in a package that installs the folder) it is {@code vip.automation.dir}. A jar started
 * somewhere else still carries its own copy under {@code automation/} on the classpath; that copy is extracted
 * to {@code <data-dir>/automation/<content hash>}, so the playbooks always match the code that runs them and a
 * folder in use is never rewritten. Extraction happens on first use, so commands that never run a playbook
 * (migrate, create-admin) write nothing.
 */
public final class AutomationFiles {

    private static final Logger log = LoggerFactory.getLogger(AutomationFiles.class);
    static final String CLASSPATH_ROOT = "automation/";

    private final Path configured;
    private final @Nullable Path extractionTarget;
    private @Nullable Path resolved;

    private AutomationFiles(Path configured, @Nullable Path extractionTarget) {
        this.configured = configured;
        this.extractionTarget = extractionTarget;
    }

    /** The configured folder if it has a {@code playbooks/} folder, else the bundled copy extracted below {@code dataDir}. */
    public static AutomationFiles configured(Path dir, Path dataDir) {
        return new AutomationFiles(dir, dataDir.resolve("automation"));
    }

    /** Exactly this folder, never extracted (tests, tools). */
    public static AutomationFiles at(Path dir) {
        return new AutomationFiles(dir, null);
    }

    public synchronized Path directory() {
        if (resolved == null) {
            if (Files.isDirectory(configured.resolve("playbooks")) || extractionTarget == null) {
                resolved = configured.toAbsolutePath().normalize();
            } else {
                resolved = extractBundledCopy(extractionTarget.toAbsolutePath().normalize());
            }
        }
        return resolved;
    }

    public Path playbook(String fileName) {
        Path playbooks = directory().resolve("playbooks");
        Path playbook = playbooks.resolve(fileName).normalize();
        if (!playbook.startsWith(playbooks) || !Files.isRegularFile(playbook)) {
            throw new IllegalArgumentException("No playbook " + fileName + " in " + playbooks);
        }
        return playbook;
    }

    /**
     * Extracts the bundled copy to {@code <base>/<content hash>} unless that folder exists already. Named by
     * content, a folder never changes once written: several processes (or an old and a new version during an
     * upgrade) can each use theirs while another extracts, and a running playbook never loses its files.
     */
    static Path extractBundledCopy(Path base) {
        try {
            Map<String, byte[]> bundle = readBundle();
            Path target = base.resolve(contentHash(bundle));
            if (Files.isDirectory(target)) {
                return target;
            }
            Files.createDirectories(base);
            Path staging = Files.createTempDirectory(base, ".extracting-");
            for (Map.Entry<String, byte[]> file : bundle.entrySet()) {
                Path path = staging.resolve(file.getKey()).normalize();
                if (path.startsWith(staging)) {
                    Files.createDirectories(path.getParent());
                    Files.write(path, file.getValue());
                }
            }
            for (String folder : new String[] {"playbooks", "roles", "templates"}) {
                Files.createDirectories(staging.resolve(folder));
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                log.info("Extracted {} automation files to {}", bundle.size(), target);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherProcessWasFaster) {
                deleteTree(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract the bundled automation files below " + base, e);
        }
    }

    /** The bundled files by path below {@code automation/}, in a stable order. */
    private static Map<String, byte[]> readBundle() throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(AutomationFiles.class.getClassLoader());
        Resource[] roots = resolver.getResources("classpath:" + CLASSPATH_ROOT);
        if (roots.length == 0 || !roots[0].exists()) {
            throw new IllegalStateException("The panel was built without its automation files (classpath:automation/ is missing).");
        }
        String rootUrl = roots[0].getURL().toString();
        Map<String, byte[]> files = new TreeMap<>();
        for (Resource resource : resolver.getResources("classpath:" + CLASSPATH_ROOT + "**")) {
            String url = resource.getURL().toString();
            if (!url.startsWith(rootUrl) || url.endsWith("/") || !resource.isReadable()) {
                continue; // folders, and files of another classpath entry
            }
            try (InputStream in = resource.getInputStream()) {
                files.put(url.substring(rootUrl.length()), in.readAllBytes());
            }
        }
        return files;
    }

    private static String contentHash(Map<String, byte[]> bundle) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : bundle.entrySet()) {
                digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(file.getValue());
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
