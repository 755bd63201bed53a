package io.facestream.pipeline.stage;

import java.util.Map;

/** One record a stage writes: a result or a dead letter. Headers are UTF-8 name → bytes. */
public record StageOutput(String topic, String key, byte[] value, Map<String, byte[]> headers) {

    public static StageOutput of(String topic, String key, byte[] value) {
        return new StageOutput(topic, key, value, Map.of());
    }
}
