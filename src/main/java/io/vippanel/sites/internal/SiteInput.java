package io.vippanel.sites.internal;

import io.vippanel.platform.Validation;
import io.vippanel.sites.SiteType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks of the values people type about sites, with messages that say what is expected. Everything accepted here
 * ends up in a playbook's variables or in a git command's argv on the server, so the rules are strict: host names
 * in their ASCII form, relative paths without {@code ..}, and no shell metacharacters anywhere.
 */
public final class SiteInput {

    public static final int MAX_ALIASES = 50;
    public static final int MAX_SCRIPT_LINES = 50;
    public static final int MAX_SCRIPT_CHARS = 4000;
    public static final int MAX_SHARED_PATHS = 20;
    public static final int MAX_NGINX_CUSTOM = 10_000;

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/+-]+");
    private static final Pattern REPO_CHARS = Pattern.compile("[A-Za-z0-9._~/:@+%=-]+");
    private static final Pattern SCP_LIKE = Pattern.compile("([A-Za-z0-9._-]{1,64})@([A-Za-z0-9.-]{1,253}):([A-Za-z0-9._~/+-]{1,400})");
    private static final Pattern SSH_USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t\\n\\r]]|[\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern PHP_VERSION = Pattern.compile("\\d{1,2}\\.\\d{1,2}");
    /**
     * Directives a site's own nginx lines may not use: they read or write files outside the site (nginx's master
     * process opens logs as root), load code into nginx, or reach another site's PHP-FPM socket.
     */
    private static final Pattern NGINX_FORBIDDEN = Pattern.compile(
            "(?i)(^|[;{}\\s])(root|alias|include|load_module|access_log|error_log|[a-z_]*_temp_path|perl[a-z_]*|[a-z_]*lua[a-z_]*"
                    + "|js_[a-z_]+|ssl_[a-z_]+|auth_basic_user_file|[a-z_]*_pass|user|env|pid|daemon|master_process|secure_link_secret"
                    + "|[a-z_]*_certificate[a-z_]*)\\s");

    private SiteInput() {
    }

    public static @Nullable SiteType type(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (SiteType type : SiteType.values()) {
            if (type.key().equals(text)) {
                return type;
            }
        }
        validation.reject(field, "Choose static, php, laravel, wordpress or nodejs.");
        return null;
    }

    /** A host name with at least two labels, as {@link Validation#hostName} takes it. */
    public static String hostName(Validation validation, String field, @Nullable String value) {
        return validation.hostName(field, value);
    }

    /** The ASCII form of a host name, or {@code null} when the text is not one. */
    public static @Nullable String hostNameOrNull(String text) {
        return Validation.hostNameOrNull(text);
    }

    /** Aliases separated by commas, spaces or new lines: host names, without duplicates, none equal to the domain. */
    public static List<String> aliases(Validation validation, String field, @Nullable String value, String domain) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return List.of();
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String name = hostNameOrNull(part);
            if (name == null) {
                validation.reject(field, "[" + shorten(part) + "] is not a valid host name.");
                return List.of();
            }
            if (name.equals(domain)) {
                validation.reject(field, "[" + name + "] is the site's domain already; list only other names.");
                return List.of();
            }
            if (!names.add(name)) {
                validation.reject(field, "[" + name + "] is listed twice.");
                return List.of();
            }
        }
        if (names.size() > MAX_ALIASES) {
            validation.reject(field, "At most " + MAX_ALIASES + " aliases.");
        }
        return List.copyOf(names);
    }

    /** A path relative to a release: letters, digits, {@code . _ / -}; no {@code ..}, no leading slash. */
    public static String relativePath(Validation validation, String field, @Nullable String value, boolean emptyAllowed) {
        String text = value == null ? "" : value.strip();
        while (text.endsWith("/") && text.length() > 1) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            if (!emptyAllowed) {
                validation.reject(field, "Enter a path relative to the site's folder.");
            }
            return text;
        }
        if (!relativePathOk(text)) {
            validation.reject(field, "[" + shorten(text) + "] must be a relative path of letters, digits and . _ / - "
                    + "(no leading /, no .. and no empty parts), e.g. public or storage/app.");
        }
        return text;
    }

    private static boolean relativePathOk(String text) {
        if (text.length() > 200 || !PATH.matcher(text).matches() || text.startsWith("/") || text.startsWith("-")) {
            return false;
        }
        for (String part : text.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The site's document root inside a release; {@code ""} is the release folder itself. */
    public static String webRoot(Validation validation, String field, @Nullable String value) {
        return relativePath(validation, field, value, true);
    }

    /** Shared paths separated by commas or new lines: relative, safe, no duplicates. */
    public static List<String> sharedPaths(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        LinkedHashSet<String> paths = new LinkedHashSet<>();
        for (String part : text.split("[,\\n\\r]+")) {
            String path = part.strip();
            if (path.isEmpty()) {
                continue;
            }
            Validation one = new Validation();
            String clean = relativePath(one, field, path, false);
            if (one.hasErrors()) {
                relativePath(validation, field, path, false);
                return List.of();
            }
            if (!paths.add(clean)) {
                validation.reject(field, "[" + clean + "] is listed twice.");
                return List.of();
            }
        }
        if (paths.size() > MAX_SHARED_PATHS) {
            validation.reject(field, "At most " + MAX_SHARED_PATHS + " shared paths.");
        }
        return List.copyOf(paths);
    }

    /**
     * A branch name as {@code git check-ref-format --branch} accepts it, further limited to letters, digits and
     * {@code . _ / + -} so that no shell metacharacter or whitespace can appear, and never starting with {@code -}.
     */
    public static String branch(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        if (!branchOk(text)) {
            validation.reject(field, "[" + shorten(text) + "] is not a branch name git accepts here: letters, digits and . _ / + -, "
                    + "not starting with - or /, without .., //, a part starting with . or ending with .lock (e.g. main or release/2.1).");
        }
        return text;
    }

    private static boolean branchOk(String text) {
        if (text.isEmpty() || text.length() > 200 || !BRANCH.matcher(text).matches() || text.startsWith("-") || text.startsWith("/")
                || text.endsWith("/") || text.endsWith(".") || text.contains("..") || text.contains("//") || text.equals("@")
                || text.equals("HEAD")) {
            return false;
        }
        for (String part : text.split("/")) {
            if (part.startsWith(".") || part.endsWith(".lock")) {
                return false;
            }
        }
        return true;
    }

    /**
     * A git repository URL: {@code https://host/path}, {@code ssh://[user@]host[:port]/path}, {@code user@host:path}
     * (scp-like), and {@code file:///path} only where local repositories are allowed. No credentials in https URLs
     * (everyone who may see the site would see them; private repositories use the deploy key over SSH).
     */
    public static String repositoryUrl(Validation validation, String field, @Nullable String value, boolean allowLocal) {
        String text = value == null ? "" : value.strip();
        String problem = repositoryProblem(text, allowLocal);
        if (problem != null) {
            validation.reject(field, problem);
        }
        return text;
    }

    private static @Nullable String repositoryProblem(String text, boolean allowLocal) {
        String expected = "Use https://host/owner/repo.git, ssh://git@host/owner/repo.git or git@host:owner/repo.git"
                + (allowLocal ? " (or file:///path/repo.git)." : ".");
        if (text.isEmpty() || text.length() > 500) {
            return expected;
        }
        if (!REPO_CHARS.matcher(text).matches() || text.startsWith("-")) {
            return "The repository URL may only hold letters, digits and . _ ~ / : @ + % = - (no spaces or shell characters). " + expected;
        }
        var scp = SCP_LIKE.matcher(text);
        if (!text.contains("://")) {
            if (!scp.matches() || hostNameOrIp(scp.group(2)) == null || scp.group(3).startsWith("-")) {
                return expected;
            }
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return expected;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return expected;
        }
        switch (scheme) {
            case "https", "ssh" -> {
                if (uri.getHost() == null || hostNameOrIp(uri.getHost()) == null || path.length() < 2 || path.contains("..")) {
                    return expected;
                }
                String user = uri.getRawUserInfo();
                if (scheme.equals("https") && user != null) {
                    return "Leave credentials out of the URL (everyone who may see the site would see them); for a private "
                            + "repository use an ssh:// or git@ URL and add the site's deploy key to the repository.";
                }
                if (user != null && !SSH_USER.matcher(user).matches()) {
                    return expected;
                }
                return null;
            }
            case "file" -> {
                if (!allowLocal) {
                    return "Local repositories (file://) are not allowed on this panel. " + expected;
                }
                if (uri.getRawAuthority() != null || !path.startsWith("/") || path.length() < 2 || !relativePathOk(path.substring(1))) {
                    return "Use file:///path/to/repo.git (an absolute path without ..).";
                }
                return null;
            }
            default -> {
                return expected;
            }
        }
    }

    private static @Nullable String hostNameOrIp(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.matches("\\[[0-9a-fA-F:.]+]")) {
            return host;
        }
        if (!host.contains(".") && host.matches("[a-z0-9-]{1,63}")) {
            return host;
        }
        return hostNameOrNull(host);
    }

    /** Lines of a deploy script: each a shell command run by {@code bash -e} as the site user; blank lines ignored. */
    public static String deployScript(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (text.length() > MAX_SCRIPT_CHARS) {
            validation.reject(field, "At most " + MAX_SCRIPT_CHARS + " characters.");
        } else if (text.lines().count() > MAX_SCRIPT_LINES) {
            validation.reject(field, "At most " + MAX_SCRIPT_LINES + " lines, one command per line.");
        } else if (CONTROL.matcher(text).find()) {
            validation.reject(field, "Control characters (such as NUL) are not allowed.");
        }
        return text;
    }

    /** The non-blank lines of a deploy script, each stripped: the steps a deployment runs. */
    public static List<String> steps(String deployScript) {
        List<String> steps = new ArrayList<>();
        deployScript.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(steps::add);
        return steps;
    }

    public static int keepReleases(Validation validation, String field, @Nullable Integer value) {
        if (value == null) {
            return 5;
        }
        if (value < 1 || value > 50) {
            validation.reject(field, "Keep 1 to 50 releases.");
        }
        return value;
    }

    public static String phpVersion(Validation validation, String field, @Nullable String value, List<String> installed,
                                    String defaultVersion) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            text = defaultVersion.isEmpty() && !installed.isEmpty() ? installed.getFirst() : defaultVersion;
        }
        if (text.isEmpty() || installed.isEmpty()) {
            validation.reject(field, "The server has no PHP; install a PHP version on the server first.");
        } else if (!PHP_VERSION.matcher(text).matches() || !installed.contains(text)) {
            validation.reject(field, "Choose a PHP version the server has: " + String.join(", ", installed) + ".");
        }
        return text;
    }

    /** The site's own nginx directives: only {@code nginx -t} judges their syntax, but no file or socket outside the site. */
    public static String nginxCustom(Validation validation, String field, @Nullable String value) {
        String text = value == null ? "" : value.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (text.length() > MAX_NGINX_CUSTOM) {
            validation.reject(field, "At most " + MAX_NGINX_CUSTOM + " characters.");
        } else if (CONTROL.matcher(text).find()) {
            validation.reject(field, "Control characters are not allowed.");
        } else {
            var forbidden = NGINX_FORBIDDEN.matcher(text + " ");
            if (forbidden.find() || text.contains("unix:")) {
                validation.reject(field, "The directive " + (forbidden.find(0) ? "[" + forbidden.group(2) + "]" : "with a unix: socket")
                        + " reaches files or processes outside the site and is not allowed here.");
            }
        }
        return text;
    }

    /**
     * The Linux user of a new site: the letters and digits of the domain's first label (at most 20, prefixed with
     * {@code s} when they start with a digit), {@code _} and a random suffix.
     */
    public static String systemUserBase(String domain) {
        String first = domain.split("\\.", 2)[0];
        StringBuilder base = new StringBuilder();
        for (char c : first.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                base.append(c);
            }
        }
        if (base.isEmpty()) {
            base.append("site");
        }
        if (Character.isDigit(base.charAt(0))) {
            base.insert(0, 's');
        }
        return base.length() > 20 ? base.substring(0, 20) : base.toString();
    }

    private static String shorten(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
