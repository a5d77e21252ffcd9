package io.vippanel.sites.internal;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.platform.Ids;
import io.vippanel.platform.VipProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Checks from outside that a site answers as it should: an HTTP request to its server's address with the site's
 * {@code Host}, compared with what the server answers for a name no site has (its default server). A plain socket,
 * because the JDK's HTTP client refuses to set {@code Host}.
 */
@Component
public class SiteChecks {

    private static final int MAX_BODY = 256 * 1024;

    private final SiteWork work;
    private final Duration timeout;

    public SiteChecks(SiteWork work, VipProperties properties) {
        this.work = work;
        this.timeout = properties.sites().checkTimeout();
    }

    /** An HTTP answer: status and (the start of) the body. */
    public record Answer(int status, String body) {
        public boolean sameAs(Answer other) {
            return status == other.status && body.equals(other.body);
        }

        @Override
        public String toString() {
            return "HTTP " + status;
        }
    }

    /** What the site and the server's default answer for an unknown name are now. */
    public record Comparison(Answer site, Answer fallback) {
        public boolean ownAnswer() {
            return !site.sameAs(fallback);
        }
    }

    /** Asks until {@code good} holds or the check's time is up; then fails the job with {@code expected}. */
    public Comparison require(JobContext job, SiteRecord site, String expected, Predicate<Comparison> good) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Comparison last = null;
        String problem = null;
        while (true) {
            job.stopIfCancelled();
            try {
                last = compare(site);
                if (good.test(last)) {
                    job.info("Checked http://" + site.domain() + "/ from the panel: " + last.site() + ".");
                    return last;
                }
                problem = last.ownAnswer() ? "it answers " + last.site() : "it answers like the server's default page (" + last.site() + ")";
            } catch (IOException e) {
                problem = "it does not answer (" + e.getMessage() + ")";
            }
            if (System.nanoTime() - deadline > 0) {
                throw JobFailure.permanent("http://" + site.domain() + "/ should " + expected + ", but " + problem + ".");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JobFailure.retryable("Interrupted while checking the site.");
            }
        }
    }

    public Comparison compare(SiteRecord site) throws IOException {
        String address = work.read(repository -> repository.serverAddress(site.id()))
                .orElseThrow(() -> JobFailure.permanent("The site's server has no address."));
        Answer own = get(address, site.domain());
        Answer fallback = get(address, "vip-check-" + Ids.randomToken(8) + ".invalid");
        return new Comparison(own, fallback);
    }

    /** {@code GET /} with the given host name, over HTTP/1.1 with {@code Connection: close}. */
    public Answer get(String address, String host) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, Math.min(timeout.toMillis(), 10_000)));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), 80), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: vip-panel-check\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; read.size() < MAX_BODY && (n = in.read(buffer)) != -1; ) {
                read.write(buffer, 0, n);
            }
            String text = read.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                throw new IOException("not an HTTP answer");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int headersEnd = text.indexOf("\r\n\r\n");
            String body = headersEnd < 0 ? "" : text.substring(headersEnd + 4);
            return new Answer(status, body);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP answer", e);
        }
    }
}
