package io.vippanel.identity.internal;

import io.vippanel.platform.VipProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password rules (length, not a common password, not the email) and Argon2id hashing.
 */
@Component
public class PasswordPolicy {

    static final int MAX_LENGTH = 256;
    private static final String COMMON_LIST = "/security/common-passwords.txt";

    private final int minLength;
    private final Set<String> common;
    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final String dummyHash;

    public PasswordPolicy(VipProperties properties) throws IOException {
        this.minLength = properties.security().password().minLength();
        this.common = load();
        this.dummyHash = encoder.encode("timing-equaliser-" + System.nanoTime());
    }

    /** Why the password is refused, or empty when it is acceptable. */
    public Optional<String> problem(String password, String email) {
        if (password.length() < minLength) {
            return Optional.of("Use at least " + minLength + " characters.");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("Use at most " + MAX_LENGTH + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower) || common.contains(lower.replaceAll("[0-9!.]+$", ""))) {
            return Optional.of("This password is on the list of commonly used passwords; choose another.");
        }
        if (!email.isEmpty() && (lower.contains(email.toLowerCase(Locale.ROOT)) || lower.equals(email.split("@")[0]))) {
            return Optional.of("The password must not contain your email address.");
        }
        return Optional.empty();
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /** Spends the same time as a real check, so unknown emails cannot be told apart by timing. */
    public void matchesNothing(String password) {
        encoder.matches(password, dummyHash);
    }

    private static Set<String> load() throws IOException {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_LIST)) {
            if (in == null) {
                throw new IllegalStateException("the bundled list of common passwords is missing (" + COMMON_LIST + "); build with the frontend step");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.lines().map(String::strip).filter(line -> line.length() >= 4).forEach(words::add);
        }
        return Set.copyOf(words);
    }
}
