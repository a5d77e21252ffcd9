package io.vippanel.sites.internal;

import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.VipProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Uploaded archives waiting for their deployment, under {@code <data-dir>/site-archives}; the deploy job copies one
 * to the server and deletes it. The name on disk is random; the uploader's file name only picks the format.
 */
@Component
public class SiteArchives {

    private final Path folder;

    public SiteArchives(VipProperties properties) {
        this.folder = Path.of(properties.dataDir(), "site-archives").toAbsolutePath();
    }

    /**
     * Stores the upload, refusing it when it is not a gzip or zip archive (by name and by its first bytes) or larger
     * than {@code maxBytes}.
     *
     * @return the stored file's path
     */
    public String store(String fileName, InputStream content, long maxBytes) {
        String name = fileName.toLowerCase(Locale.ROOT).strip();
        String extension = name.endsWith(".tar.gz") ? ".tar.gz" : name.endsWith(".tgz") ? ".tar.gz" : name.endsWith(".zip") ? ".zip" : null;
        if (extension == null) {
            throw new InvalidInput("archive", "Upload a .tar.gz, .tgz or .zip archive of the site's files.");
        }
        Path target;
        try {
            Files.createDirectories(folder);
            target = folder.resolve(Ids.randomToken(24) + extension);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an uploaded archive under " + folder, e);
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            byte[] head = new byte[4];
            int headLength = 0;
            for (int read; (read = content.read(buffer)) != -1; ) {
                total += read;
                if (total > maxBytes) {
                    throw new InvalidInput("archive", "The archive is larger than " + (maxBytes / (1024 * 1024)) + " MB.");
                }
                for (int i = 0; i < read && headLength < head.length; i++) {
                    head[headLength++] = buffer[i];
                }
                out.write(buffer, 0, read);
            }
            boolean gzip = headLength >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            boolean zip = headLength >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
            if (extension.equals(".zip") ? !zip : !gzip) {
                throw new InvalidInput("archive", "The file is not a " + (extension.equals(".zip") ? "zip" : "gzip-compressed tar")
                        + " archive.");
            }
            return target.toString();
        } catch (IOException e) {
            discard(target.toString());
            throw new InvalidInput("archive", "The upload broke off; try again.");
        } catch (RuntimeException e) {
            discard(target.toString());
            throw e;
        }
    }

    /** Deletes a stored archive (after its deployment, or when queueing it failed). */
    public void discard(String stored) {
        Path path = Path.of(stored).toAbsolutePath().normalize();
        if (!path.startsWith(folder)) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the uploaded archive " + path, e);
        }
    }

    /** The uploader's file name as the audit trail shows it: no folders, printable, short. */
    public static String displayName(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^\\x20-\\x7e]", "?");
        return base.length() > 100 ? base.substring(0, 100) + "…" : base;
    }
}
