package io.vippanel.dns.internal.provider.cloudflare;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The parts of Cloudflare's API v4 JSON that the panel reads and sends, as developers.cloudflare.com/api documents. */
final class CloudflareJson {

    private CloudflareJson() {
    }

    /** Every answer: {@code success}, the {@code errors} array, the {@code result}, and paging of listings. */
    record Envelope(boolean success, @Nullable List<ApiError> errors, @Nullable JsonNode result,
                    @Nullable ResultInfo resultInfo) {
    }

    /** One entry of {@code errors}; a validation error may carry the detailed reasons in {@code error_chain}. */
    record ApiError(int code, @Nullable String message, @Nullable List<ApiError> errorChain) {
    }

    record ResultInfo(int page, int perPage, int totalPages, int totalCount) {
    }

    record TokenStatus(String id, String status) {
    }

    record Account(String id, @Nullable String name) {
    }

    record Zone(String id, String name, @Nullable List<String> nameServers) {
    }

    record NewZone(String name, AccountRef account, String type) {
    }

    record AccountRef(String id) {
    }

    /** A DNS record; MX carries {@code priority}, SRV and CAA their fields in {@code data}. */
    record Record(String id, String name, String type, @Nullable String content, @Nullable Integer priority, int ttl,
                  boolean proxied, @Nullable RecordData data) {
    }

    /** SRV's {@code priority, weight, port, target} or CAA's {@code flags, tag, value}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordData(@Nullable Integer priority, @Nullable Integer weight, @Nullable Integer port,
                      @Nullable String target, @Nullable Integer flags, @Nullable String tag, @Nullable String value) {

        static RecordData srv(int priority, int weight, int port, String target) {
            return new RecordData(priority, weight, port, target, null, null, null);
        }

        static RecordData caa(int flags, String tag, String value) {
            return new RecordData(null, null, null, null, flags, tag, value);
        }
    }

    /** What a record holds besides name, type, TTL and proxying, in the fields its type uses. */
    record Content(@Nullable String content, @Nullable Integer priority, @Nullable RecordData data) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewRecord(String name, String type, @Nullable String content, @Nullable Integer priority,
                     @Nullable RecordData data, int ttl, boolean proxied) {
    }

    /** Changes only the fields given; proxying is left out so that a proxied record stays proxied. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordPatch(String id, @Nullable String content, @Nullable Integer priority, @Nullable RecordData data,
                       @Nullable Integer ttl) {
    }

    record RecordId(String id) {
    }

    /** {@code POST /zones/{id}/dns_records/batch}: Cloudflare runs deletes, then patches, then posts, in one transaction. */
    record Batch(List<RecordId> deletes, List<RecordPatch> patches, List<NewRecord> posts) {

        boolean isEmpty() {
            return deletes.isEmpty() && patches.isEmpty() && posts.isEmpty();
        }
    }
}
