package io.vippanel.ssl.internal.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

/**
 * An ACME request failed. {@link #detail()} is the CA's problem detail (or what went wrong on the way to the CA),
 * without keys or tokens, fit to show to the user; {@link #userMessage()} puts it in a sentence.
 */
public class AcmeFailure extends RuntimeException {

    public enum Reason {
        /** The CA has terms of service and no administrator accepted them, or the CA asks for a new agreement. */
        TERMS_NOT_ACCEPTED,
        /** The CA is rate limiting; {@link #retryAfter()} says when to try again, when the CA said so. */
        RATE_LIMITED,
        /** The CA refused the account or its key, or does not allow these names for it (ACME unauthorized). */
        UNAUTHORIZED,
        /** The CA could not validate a challenge, e.g. it fetched the wrong content or found no TXT record. */
        CHALLENGE_FAILED,
        /** The CA refused the request for another reason (malformed, rejected identifier, CAA, bad CSR …). */
        REFUSED,
        /** The CA could not be reached (DNS, TCP, TLS, timeouts). */
        UNREACHABLE,
        /** The CA did not finish in time: a challenge or an order kept its pending status. */
        TIMED_OUT,
        /** The responder could not put a challenge's answer in place. */
        RESPONDER_FAILED
    }

    private final Reason reason;
    private final String detail;
    private final @Nullable URI problemType;
    private final @Nullable Instant retryAfter;

    AcmeFailure(Reason reason, String detail, @Nullable URI problemType, @Nullable Instant retryAfter,
                @Nullable Throwable cause) {
        super(reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + detail, cause);
        this.reason = reason;
        this.detail = detail;
        this.problemType = problemType;
        this.retryAfter = retryAfter;
    }

    public static AcmeFailure of(Reason reason, String detail) {
        return new AcmeFailure(reason, detail, null, null, null);
    }

    /** A challenge's or an order's problem document, as the CA reported it. */
    static AcmeFailure of(Reason reason, Problem problem) {
        return new AcmeFailure(reason, describe(problem), problem.getType(), null, null);
    }

    /** Sorts an acme4j exception into a reason; {@code action} says what was being done, e.g. "creating the order". */
    static AcmeFailure from(AcmeException e, String action) {
        return switch (e) {
            case AcmeRateLimitedException limited -> new AcmeFailure(Reason.RATE_LIMITED,
                    describe(limited.getProblem()), limited.getType(), limited.getRetryAfter().orElse(null), e);
            case AcmeUnauthorizedException unauthorized -> fromServer(Reason.UNAUTHORIZED, unauthorized);
            case AcmeUserActionRequiredException userAction -> fromServer(Reason.TERMS_NOT_ACCEPTED, userAction);
            case AcmeServerException server -> fromServer(Reason.REFUSED, server);
            case AcmeNetworkException network -> new AcmeFailure(Reason.UNREACHABLE,
                    action + ": " + network.getMessage(), null, null, e);
            default -> new AcmeFailure(Reason.REFUSED, action + ": " + e.getMessage(), null, null, e);
        };
    }

    private static AcmeFailure fromServer(Reason reason, AcmeServerException e) {
        return new AcmeFailure(reason, describe(e.getProblem()), e.getType(), null, e);
    }

    /** The problem's detail and those of its sub-problems (one per name of a multi-name order). */
    private static String describe(Problem problem) {
        StringBuilder text = new StringBuilder(problem.getDetail().or(problem::getTitle)
                .orElse(problem.getType().toString()));
        for (Problem sub : problem.getSubProblems()) {
            text.append("; ");
            sub.getIdentifier().ifPresent(identifier -> text.append(identifier.getValue()).append(": "));
            text.append(sub.getDetail().orElse(sub.getType().toString()));
        }
        return text.toString();
    }

    public Reason reason() {
        return reason;
    }

    /** The CA's problem detail, or what failed on the way to the CA. */
    public String detail() {
        return detail;
    }

    /** The ACME problem type, e.g. {@code urn:ietf:params:acme:error:unauthorized}; empty when the CA sent none. */
    public Optional<URI> problemType() {
        return Optional.ofNullable(problemType);
    }

    /** When a rate limit ends, if the CA said so. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** One sentence for a person. */
    public String userMessage() {
        return switch (reason) {
            case TERMS_NOT_ACCEPTED -> "An administrator must accept the CA's terms of service first: " + detail;
            case RATE_LIMITED -> "The CA is rate limiting the panel; try again "
                    + (retryAfter == null ? "later" : "after " + retryAfter) + " (" + detail + ")";
            case UNAUTHORIZED -> "The CA refused the account or the names: " + detail;
            case CHALLENGE_FAILED -> "The CA could not validate the domain: " + detail;
            case REFUSED -> "The CA refused the request: " + detail;
            case UNREACHABLE -> "The CA could not be reached: " + detail;
            case TIMED_OUT -> "The CA did not finish in time: " + detail;
            case RESPONDER_FAILED -> "The challenge answer could not be put in place: " + detail;
        };
    }
}
