package io.vippanel.identity.internal;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.springframework.stereotype.Component;

/** RFC 6238 codes (SHA-1, 30 s, 6 digits, the authenticator-app default), enrolment URIs and their QR codes. */
@Component
public class Totp {

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Base32 BASE32 = new Base32();

    private final TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP, 6);
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public Totp(Clock clock) {
        this.clock = clock;
    }

    public String newSecret() {
        byte[] key = new byte[20];
        random.nextBytes(key);
        return BASE32.encodeToString(key).replace("=", "");
    }

    public String uri(String secret, String account) {
        String label = URLEncoder.encode("VIP Panel:" + account, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=VIP%20Panel&algorithm=SHA1&digits=6&period=30";
    }

    /** The time step the code belongs to (now, or one step either side for clock drift), if it is valid. */
    public OptionalLong matchingStep(String secret, String code) {
        String digits = code.replaceAll("\\s", "");
        if (!digits.matches("\\d{6}")) {
            return OptionalLong.empty();
        }
        SecretKeySpec key = new SecretKeySpec(BASE32.decode(secret), "HmacSHA1");
        Instant now = clock.instant();
        for (int drift = -1; drift <= 1; drift++) {
            Instant at = now.plus(STEP.multipliedBy(drift));
            try {
                if (generator.generateOneTimePasswordString(key, at).equals(digits)) {
                    return OptionalLong.of(at.getEpochSecond() / STEP.getSeconds());
                }
            } catch (InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }
        return OptionalLong.empty();
    }

    /** The current code; used by tests and never shown to users. */
    public String codeAt(String secret, Instant at) {
        try {
            return generator.generateOneTimePasswordString(new SecretKeySpec(BASE32.decode(secret), "HmacSHA1"), at);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The enrolment URI as an SVG QR code (no JavaScript, no external service). */
    public String qrSvg(String uri) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 0, 0);
            int size = matrix.getWidth();
            StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-2 -2 ")
                    .append(size + 4).append(' ').append(size + 4)
                    .append("\" shape-rendering=\"crispEdges\" width=\"220\" height=\"220\"><rect x=\"-2\" y=\"-2\" width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (matrix.get(x, y)) {
                        svg.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                    }
                }
            }
            return svg.append("\"/></svg>").toString();
        } catch (WriterException e) {
            throw new IllegalStateException("could not draw the QR code", e);
        }
    }
}
