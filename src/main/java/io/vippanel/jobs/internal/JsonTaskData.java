package io.vippanel.jobs.internal;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import tools.jackson.databind.json.JsonMapper;

/** Task data as JSON, never Java serialisation: readable in the table and safe to read back. */
final class JsonTaskData implements Serializer {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public byte[] serialize(Object data) {
        return json.writeValueAsBytes(data);
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] data) {
        return json.readValue(data, type);
    }
}
