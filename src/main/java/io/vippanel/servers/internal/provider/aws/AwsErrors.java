package io.vippanel.servers.internal.provider.aws;

import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into {@link ProviderException}s with AWS's own error code, message and request id.
 *
 * <p>The SDK has already retried throttling and 5xx answers as configured when an exception gets here. AWS echoes
 * parts of a request in some messages (signature errors), so the account's keys are blanked out of every message.
 */
final class AwsErrors {

    private static final Set<String> UNAUTHORIZED = Set.of("AuthFailure", "UnauthorizedOperation",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
            "OptInRequired", "Blocked", "PendingVerification", "AccessDenied", "AccessDeniedException",
            "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException");
    private static final Set<String> RATE_LIMITED = Set.of("RequestLimitExceeded", "Throttling",
            "ThrottlingException", "TooManyRequestsException");
    /** Refusals of the request as given, whatever HTTP status AWS sends them with (capacity errors come as 500). */
    private static final Set<String> REJECTED = Set.of("InvalidParameterValue", "InvalidParameter",
            "InvalidParameterCombination", "Unsupported", "UnsupportedOperation", "InsufficientInstanceCapacity",
            "InstanceLimitExceeded", "VcpuLimitExceeded", "MaxSpotInstanceCountExceeded", "InvalidKeyPair.Duplicate");
    private static final String REDACTED = "********";

    private final String accessKeyId;
    private final String secretAccessKey;

    AwsErrors(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    ProviderException translate(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            int status = service.statusCode();
            return failure(reasonOf(code, status), status, code,
                    message == null || message.isBlank() ? "request failed with HTTP status " + status : message,
                    service.requestId(), failure);
        }
        return failure(Reason.UNAVAILABLE, 0, null, "AWS could not be reached: " + withoutClassNames(failure.getMessage()), null, failure);
    }

    /** A failure found by the panel itself (an action that did not finish, an image missing in a region). */
    ProviderException failure(Reason reason, int httpStatus, @Nullable String code, String message,
                              @Nullable String requestId, @Nullable Throwable cause) {
        return new ProviderException(ProviderKind.AWS, reason, httpStatus, code, redact(message), requestId, cause);
    }

    static boolean isNotFound(AwsServiceException failure) {
        String code = failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().errorCode();
        return reasonOf(code, failure.statusCode()) == Reason.NOT_FOUND;
    }

    static Reason reasonOf(@Nullable String code, int status) {
        String errorCode = code == null ? "" : code;
        if (UNAUTHORIZED.contains(errorCode) || status == 401 || status == 403) {
            return Reason.UNAUTHORIZED;
        }
        if (REJECTED.contains(errorCode) || errorCode.startsWith("InvalidAMIID.")) {
            return Reason.REJECTED;
        }
        if (errorCode.endsWith(".NotFound") || errorCode.endsWith("NotFoundException") || status == 404) {
            return Reason.NOT_FOUND;
        }
        if (RATE_LIMITED.contains(errorCode) || status == 429) {
            return Reason.RATE_LIMITED;
        }
        if (status >= 500 || "InternalError".equals(errorCode) || "Unavailable".equals(errorCode)) {
            return Reason.UNAVAILABLE;
        }
        return Reason.REJECTED;
    }

    private String redact(String message) {
        return message.replace(secretAccessKey, REDACTED).replace(accessKeyId, REDACTED);
    }

    /** The SDK's message for people: Java exception names (which some transports put in) are left out. */
    private static String withoutClassNames(@Nullable String message) {
        return message == null ? "no answer" : message.replaceAll("\\b[\\w.$]*Exception\\b:?\\s*", "").strip();
    }
}
