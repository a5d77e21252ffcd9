package io.vippanel.dns.internal.provider.route53;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;

/**
 * Turns the SDK's exceptions into {@link DnsProviderException}s carrying Route 53's error code and messages.
 *
 * <p>When an exception gets here the SDK has already retried throttling, 5xx answers and connection failures as
 * configured. AWS echoes parts of a request in some messages (signature errors), so the account's keys are blanked
 * out of every message.
 */
final class Route53Errors {

    private static final Set<String> CREDENTIALS = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
            "AccessDenied", "AccessDeniedException", "InvalidSignature", "InvalidSignatureException",
            "IncompleteSignature", "MissingAuthenticationToken", "ExpiredToken", "UnrecognizedClientException");
    private static final Set<String> NOT_FOUND = Set.of("NoSuchHostedZone", "NoSuchChange", "HostedZoneNotFound");
    private static final Set<String> CONFLICT = Set.of("HostedZoneAlreadyExists", "ConflictingDomainExists");
    private static final Set<String> RATE_LIMITED = Set.of("Throttling", "ThrottlingException",
            "PriorRequestNotComplete", "TooManyRequestsException");
    private static final String INVALID_CHANGE_BATCH = "InvalidChangeBatch";
    private static final String REDACTED = "********";

    private final String accessKeyId;
    private final String secretAccessKey;

    Route53Errors(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    DnsProviderException translate(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            Optional<List<String>> documentedBatchMessages = documentedInvalidChangeBatch(service);
            String code = documentedBatchMessages.isPresent() ? INVALID_CHANGE_BATCH
                    : service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            int status = service.statusCode();
            List<String> messages = documentedBatchMessages.orElseGet(() -> messagesOf(service)).stream()
                    .map(message -> redact(code == null ? message : code + ": " + message))
                    .toList();
            return new DnsProviderException(DnsProviderKind.ROUTE53, reasonOf(code, status), status, messages, failure);
        }
        return failure(Reason.UNAVAILABLE, "Route 53 could not be reached: " + withoutClassNames(failure.getMessage()),
                failure);
    }

    /** A failure the panel finds itself, such as a change that Route 53 accepted but did not finish in time. */
    DnsProviderException failure(Reason reason, String message, @Nullable Throwable cause) {
        return new DnsProviderException(DnsProviderKind.ROUTE53, reason, 0, List.of(redact(message)), cause);
    }

    static Reason reasonOf(@Nullable String code, int status) {
        String errorCode = code == null ? "" : code;
        if (CREDENTIALS.contains(errorCode) || status == 401 || status == 403) {
            return Reason.CREDENTIALS;
        }
        if (NOT_FOUND.contains(errorCode) || status == 404) {
            return Reason.NOT_FOUND;
        }
        if (CONFLICT.contains(errorCode) || status == 409) {
            return Reason.CONFLICT;
        }
        if (RATE_LIMITED.contains(errorCode) || status == 429) {
            return Reason.RATE_LIMITED;
        }
        if (status >= 500) {
            return Reason.UNAVAILABLE;
        }
        return Reason.INVALID;
    }

    /**
     * The messages of Route 53's InvalidChangeBatch answer in its documented form,
     * {@code <InvalidChangeBatch><Messages><Message>…}. The SDK looks for an {@code ErrorResponse} and so finds neither
     * code nor message in it; the raw answer still has them.
     */
    private static Optional<List<String>> documentedInvalidChangeBatch(AwsServiceException failure) {
        SdkBytes answer = failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().rawResponse();
        if (answer == null || failure.awsErrorDetails().errorCode() != null) {
            return Optional.empty();
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(answer.asInputStream()).getDocumentElement();
            if (!INVALID_CHANGE_BATCH.equals(root.getLocalName())) {
                return Optional.empty();
            }
            NodeList messages = root.getElementsByTagNameNS("*", "Message");
            return Optional.of(IntStream.range(0, messages.getLength())
                    .mapToObj(index -> messages.item(index).getTextContent().strip())
                    .toList());
        } catch (ParserConfigurationException | SAXException | IOException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Every problem Route 53 named. The SDK reads the list of an InvalidChangeBatch answer where it finds one; the
     * answer Route 53 sends in practice is a plain error whose one message is the list in brackets.
     */
    private static List<String> messagesOf(AwsServiceException failure) {
        if (failure instanceof InvalidChangeBatchException batch && batch.hasMessages() && !batch.messages().isEmpty()) {
            return batch.messages();
        }
        String message = failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().errorMessage();
        if (message == null || message.isBlank()) {
            return List.of("request failed with HTTP status " + failure.statusCode());
        }
        boolean bracketedList = message.startsWith("[") && message.endsWith("]");
        return List.of(bracketedList ? message.substring(1, message.length() - 1) : message);
    }

    private String redact(String message) {
        return message.replace(secretAccessKey, REDACTED).replace(accessKeyId, REDACTED);
    }

    /** The SDK's message for people: Java exception names, which some transports put in, are left out. */
    private static String withoutClassNames(@Nullable String message) {
        return message == null ? "no answer" : message.replaceAll("\\b[\\w.$]*Exception\\b:?\\s*", "").strip();
    }
}
