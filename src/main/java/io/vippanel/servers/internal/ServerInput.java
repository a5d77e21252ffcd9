package io.vippanel.servers.internal;

import io.vippanel.platform.Validation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks of the values people type about servers, with messages that say what is expected. */
public final class ServerInput {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})(?::(\\d{1,5}))?");

    private ServerInput() {
    }

    /** A host name label: what the server is called in the panel and on the machine. */
    public static String name(Validation validation, String field, @Nullable String value) {
        String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            validation.reject(field, "Use 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen (e.g. web-1).");
        }
        return name;
    }

    /**
     * A public or private IPv4/IPv6 address literal (no host names: the panel pins the host key of one address).
     * Loopback, unspecified, multicast and link-local addresses are refused.
     */
    public static @Nullable InetAddress address(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        InetAddress address = literal(text);
        if (address == null) {
            validation.reject(field, "Enter the server's IPv4 address (e.g. 203.0.113.10) or IPv6 address.");
            return null;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress() || address.isLinkLocalAddress()) {
            validation.reject(field, "This address cannot be a managed server (loopback, unspecified, multicast or link-local).");
            return null;
        }
        return address;
    }

    /** A canonical textual form of an address literal, or null when the text is not one. */
    public static @Nullable InetAddress literal(String text) {
        try {
            if (IPV4.matcher(text).matches() || (text.contains(":") && IPV6_CHARS.matcher(text).matches())) {
                return InetAddress.getByName(text); // a literal: no name lookup happens
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    public static int port(Validation validation, String field, @Nullable String value, int fallback) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return fallback;
        }
        if (text.matches("\\d{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        validation.reject(field, "A port is a whole number from 1 to 65535.");
        return fallback;
    }

    public static String user(Validation validation, String field, @Nullable String value) {
        String user = value == null ? "" : value.strip();
        if (!USER.matcher(user).matches()) {
            validation.reject(field, "A Linux user name: lower-case letters, digits, _ . and -, starting with a letter or _ (e.g. root or ubuntu).");
        }
        return user;
    }

    /** A port or range {@code from:to} for the firewall, normalised. */
    public static String portRange(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip().replace('-', ':');
        var matcher = PORT_RANGE.matcher(text);
        if (matcher.matches()) {
            int from = Integer.parseInt(matcher.group(1));
            int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
            if (from >= 1 && to <= 65535 && from <= to) {
                return from == to ? Integer.toString(from) : from + ":" + to;
            }
        }
        validation.reject(field, "A port (e.g. 8080) or a range (e.g. 8000:8100), from 1 to 65535.");
        return text;
    }

    /** {@code any}, an address, or a CIDR block, normalised. */
    public static String source(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty() || text.equalsIgnoreCase("any")) {
            return "any";
        }
        String[] parts = text.split("/", -1);
        InetAddress address = parts.length <= 2 ? literal(parts[0]) : null;
        if (address != null) {
            int maxBits = address.getAddress().length * 8;
            if (parts.length == 1) {
                return address.getHostAddress();
            }
            if (parts[1].matches("\\d{1,3}") && Integer.parseInt(parts[1]) <= maxBits) {
                return address.getHostAddress() + "/" + Integer.parseInt(parts[1]);
            }
        }
        validation.reject(field, "\"any\", an IP address, or a CIDR block such as 203.0.113.0/24.");
        return text;
    }
}
