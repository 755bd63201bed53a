package io.facestream.pipeline.stage;

import java.time.Duration;

/**
 * Settings of one consume-process-produce stage.
 *
 * @param stage stage name, used in dead-letter headers and as the consumer group id
 * @param instanceId distinguishes instances of a stage; makes the transactional id unique
 * @param bootstrapServers Kafka bootstrap servers
 * @param inputTopic the topic consumed
 * @param maxBatch records handed to the processor at most at once (the embedder's micro-batch)
 * @param maxWait how long a poll waits for records before a smaller batch is processed
 */
public record StageConfig(String stage, String instanceId, String bootstrapServers, String inputTopic, int maxBatch,
        Duration maxWait) {

    public StageConfig {
        if (stage == null || stage.isBlank() || instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("stage and instanceId are required");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
    }

    public String groupId() {
        return stage;
    }

    public String transactionalId() {
        return stage + "-" + instanceId;
    }
}
