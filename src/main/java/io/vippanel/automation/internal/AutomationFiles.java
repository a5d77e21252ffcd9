package io.vippanel.automation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
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
 * once per process to {@code <data-dir>/automation}, replacing what an older version left there, so the playbooks
 * always match the code that runs them. Extraction happens on first use, so commands that never run a playbook
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

    static Path extractBundledCopy(Path target) {
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(AutomationFiles.class.getClassLoader());
            Resource[] roots = resolver.getResources("classpath:" + CLASSPATH_ROOT);
            if (roots.length == 0 || !roots[0].exists()) {
                throw new IllegalStateException("The panel was built without its automation files (classpath:automation/ is missing).");
            }
            String rootUrl = roots[0].getURL().toString();
            Path staging = Files.createTempDirectory(target.getParent() == null ? Path.of(".") : createParent(target), "automation-");
            int files = 0;
            for (Resource resource : resolver.getResources("classpath:" + CLASSPATH_ROOT + "**")) {
                String url = resource.getURL().toString();
                if (!url.startsWith(rootUrl) || url.endsWith("/") || !resource.isReadable()) {
                    continue; // folders, and files of another classpath entry
                }
                Path file = staging.resolve(url.substring(rootUrl.length())).normalize();
                if (!file.startsWith(staging)) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                files++;
            }
            for (String folder : new String[] {"playbooks", "roles", "templates"}) {
                Files.createDirectories(staging.resolve(folder));
            }
            replace(target, staging);
            log.info("Extracted {} automation files to {}", files, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract the bundled automation files to " + target, e);
        }
    }

    private static Path createParent(Path target) throws IOException {
        return Files.createDirectories(target.getParent());
    }

    /** Swaps the freshly extracted folder in, so a run never sees a half-written one. */
    private static void replace(Path target, Path staging) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
        try {
            if (Files.exists(target)) {
                Files.move(target, old);
            }
            Files.move(staging, target);
        } catch (FileAlreadyExistsException | NoSuchFileException anotherProcessWasFaster) {
            // the api and worker processes of one installation may extract at the same moment; either copy will do
            deleteTree(staging);
        }
        if (Files.exists(old)) {
            deleteTree(old);
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
