package io.vippanel.automation.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder only the panel's user can enter (0700) holding one run's key, known_hosts, inventory, variables and
 * ansible configuration, removed with everything in it when the run ends, however it ends.
 */
public final class RunDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunDirectory.class);

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    public static RunDirectory create() throws IOException {
        return new RunDirectory(Files.createTempDirectory("vip-run-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    public Path path() {
        return path;
    }

    /** Writes a new file readable and writable by the owner only (0600) from the moment it exists. */
    public Path writePrivateFile(String name, String content) throws IOException {
        Path file = path.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    @Override
    public void close() {
        try {
            deleteRecursively(path);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not remove the run folder {}: {}", path, e.toString());
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
