package io.vippanel.servers.web;

import io.vippanel.servers.internal.provider.Size;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/** How the servers pages write prices, sizes, durations and times; unknown values read N/A. */
public final class ServerDisplay {

    public static final String NA = "N/A";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private ServerDisplay() {
    }

    /** {@code 4.51 EUR}, or N/A when the provider does not say. */
    public static String price(@Nullable BigDecimal amount, String currency, int scale) {
        if (amount == null) {
            return NA;
        }
        String symbol = switch (currency) {
            case "EUR" -> "€";
            case "USD" -> "$";
            default -> "";
        };
        String number = amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
        return symbol.isEmpty() ? number + " " + safeCurrency(currency) : symbol + number;
    }

    public static String monthly(Size size) {
        return price(size.monthlyPrice(), size.currency(), 2);
    }

    public static String hourly(Size size) {
        return price(size.hourlyPrice(), size.currency(), 4);
    }

    /** {@code cx22 · 2 vCPU · 4 GB RAM · 40 GB disk · €4.51/mo (€0.0074/h)}. */
    public static String sizeLabel(Size size) {
        String hourly = hourly(size);
        return size.id() + " · " + size.vcpus() + " vCPU · " + memory(size.memoryMb()) + " RAM · " + size.diskGb() + " GB disk · "
                + monthly(size) + "/mo" + (hourly.equals(NA) ? "" : " (" + hourly + "/h)");
    }

    public static String memory(int megabytes) {
        if (megabytes < 1024) {
            return megabytes + " MB";
        }
        BigDecimal gigabytes = BigDecimal.valueOf(megabytes).divide(BigDecimal.valueOf(1024), 1, RoundingMode.HALF_UP).stripTrailingZeros();
        return gigabytes.toPlainString() + " GB";
    }

    public static String uptime(@Nullable Long seconds) {
        if (seconds == null) {
            return NA;
        }
        Duration duration = Duration.ofSeconds(seconds);
        if (duration.toDays() > 0) {
            return duration.toDays() + " d " + duration.toHoursPart() + " h";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + duration.toMinutesPart() + " min";
        }
        return duration.toMinutes() + " min";
    }

    public static String dateTime(Instant at) {
        return DATE_TIME.format(at);
    }

    public static String query(@Nullable String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static String safeCurrency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return code;
        }
    }
}
