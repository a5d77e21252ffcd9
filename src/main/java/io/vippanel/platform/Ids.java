package io.vippanel.platform;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Public identifiers: a type prefix and 20 random base32 characters (100 bits), e.g. {@code ten_k3j9...}.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final Pattern ID = Pattern.compile("[a-z]{2,4}_[a-z2-9]{20}");

    private Ids() {
    }

    public static String newId(String prefix) {
        return prefix + "_" + randomToken(20);
    }

    /** A random string from an unambiguous alphabet, 5 bits per character. */
    public static String randomToken(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** Whether the text has the shape of an id with the given prefix; cheap rejection of junk before any query. */
    public static boolean looksLike(String prefix, String candidate) {
        return candidate.startsWith(prefix + "_") && ID.matcher(candidate).matches();
    }
}
