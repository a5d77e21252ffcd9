package io.vippanel.automation;

import io.vippanel.platform.VipProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads a server's SSH host keys on first contact, so they can be pinned before the panel logs in at all.
 *
 * <p>This is the one moment the panel trusts the network: a new VM's keys are read right after the provider
 * reports it running, over the provider's network, and every later connection must present exactly those keys.
 * {@code ssh-keyscan} is used because it asks for every key type the server has (sshj negotiates only one), and
 * it needs no login.
 */
@Component
public class HostKeyScanner {

    private static final Pattern KNOWN_HOSTS_LINE = Pattern.compile(
            "(\\[[0-9A-Za-z.:-]+]:\\d+|[0-9A-Za-z.:-]+) (ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]+=*");

    private final Duration timeout;

    @Autowired
    public HostKeyScanner(VipProperties properties) {
        this(properties.automation().connectTimeout());
    }

    public HostKeyScanner(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @return the known_hosts lines of every host key the server offers, in the form the runners pin; empty when
     *         nothing answered on that port (not up yet, or no SSH there)
     */
    public List<String> scan(String address, int port) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        ProcessBuilder command = new ProcessBuilder("ssh-keyscan", "-T", Integer.toString(seconds), "-p", Integer.toString(port),
                "-t", "ed25519,ecdsa,rsa", "--", ManagedHost.checkedAddress(address));
        command.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = command.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 5L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                String trimmed = line.strip();
                if (KNOWN_HOSTS_LINE.matcher(trimmed).matches()) {
                    lines.add(trimmed);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("ssh-keyscan could not be started; is openssh-client installed? " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** {@code SHA256:...} fingerprints (as {@code ssh-keygen -l} prints them) of the keys in known_hosts lines. */
    public static List<String> fingerprints(String knownHosts) {
        List<String> fingerprints = new ArrayList<>();
        for (String line : knownHosts.split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length >= 3 && !fields[0].startsWith("#")) {
                fingerprints.add(fields[1] + " " + sha256Fingerprint(fields[2]));
            }
        }
        return fingerprints;
    }

    /** The {@code SHA256:...} fingerprint of a base64 public key blob. */
    public static String sha256Fingerprint(String base64Blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Blob));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
