package io.vippanel.dns.internal.zone;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 1035 character strings (TXT data, CAA values): reading quoted strings with their {@code \"}, {@code \\} and
 * {@code \DDD} escapes into bytes, splitting raw text into strings of at most 255 bytes, and writing bytes back in
 * one canonical quoted form. Valid UTF-8 stays readable; other non-printable bytes become {@code \DDD}.
 */
final class CharacterStrings {

    static final int MAX_STRING_BYTES = 255;

    private CharacterStrings() {
    }

    /** Whether the text is meant as quoted strings rather than raw text. */
    static boolean isQuoted(String text) {
        return text.startsWith("\"");
    }

    /** The byte values of {@code "a" "b"}-style text: quoted strings separated by white space. */
    static List<byte[]> parseQuoted(String text) {
        List<byte[]> strings = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (c != '"') {
                throw new BadValue("Between quoted strings only spaces may stand; write a quote inside text as \\\" "
                        + "(or leave all quotes out and the panel quotes the text for you).");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            i = readQuoted(text, i + 1, bytes);
            strings.add(bytes.toByteArray());
        }
        return strings;
    }

    /** Reads one string's body from {@code start} (after the opening quote); returns the index after the closing quote. */
    private static int readQuoted(String text, int start, ByteArrayOutputStream bytes) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= text.length()) {
                    break;
                }
                if (i + 3 < text.length() && isDigits(text, i + 1, 3)) {
                    int value = Integer.parseInt(text.substring(i + 1, i + 4));
                    if (value > 255) {
                        throw new BadValue("The escape \\" + value + " is not a byte; \\DDD takes 000 to 255.");
                    }
                    bytes.write(value);
                    i += 4;
                    continue;
                }
                i++;
                c = text.charAt(i);
            }
            int codePoint = text.codePointAt(i);
            bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            i += Character.charCount(codePoint);
        }
        throw new BadValue("A quoted string is not closed; end it with \".");
    }

    private static boolean isDigits(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Raw text cut into strings of at most 255 bytes, never inside a character's UTF-8 bytes. */
    static List<byte[]> split(String text) {
        List<byte[]> strings = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        text.codePoints().forEach(codePoint -> {
            byte[] character = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            if (current.size() + character.length > MAX_STRING_BYTES) {
                strings.add(current.toByteArray());
                current.reset();
            }
            current.writeBytes(character);
        });
        if (current.size() > 0 || strings.isEmpty()) {
            strings.add(current.toByteArray());
        }
        return strings;
    }

    /** The canonical quoted form of one string's bytes. */
    static String quote(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (b == '"' || b == '\\') {
                out.append('\\').append((char) b);
                i++;
            } else if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
                i++;
            } else {
                String character = b >= 0x80 ? printableCharacter(bytes, i) : "";
                if (character.isEmpty()) {
                    out.append('\\').append(String.format("%03d", b));
                    i++;
                } else {
                    out.append(character);
                    i += character.getBytes(StandardCharsets.UTF_8).length;
                }
            }
        }
        return out.append('"').toString();
    }

    /** The character whose UTF-8 bytes start at {@code start} when they are valid and it prints; else {@code ""}. */
    private static String printableCharacter(byte[] bytes, int start) {
        int lead = bytes[start] & 0xff;
        int length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
        if (length == 0 || start + length > bytes.length) {
            return "";
        }
        String character;
        try {
            character = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, length)).toString();
        } catch (CharacterCodingException e) {
            return "";
        }
        int type = Character.getType(character.codePointAt(0));
        boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
        return invisible ? "" : character;
    }
}
