package io.facestream.pipeline.stage;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import java.time.Duration;

/**
 * Settings of one consume-process-produce stage.
 *
 * @param stage stage name, used in dead-letter headers and as the consumer group id
 * @param instanceId distinguishes instances of a stage; makes the transactional id unique
 * @param kafka where Kafka is and the settings every client shares
 * @param inputTopic the topic consumed
 * @param maxBatch records handed to the processor at most at once (the embedder's micro-batch)
 * @param maxWait how long a poll waits for records before a smaller batch is processed
 * @param maxInputRecordBytes largest input record (the input topic's {@code max.message.bytes}): the consumer
 *                            fetches records of that size, and the producer writes them, because a dead letter
 *                            is a copy of its input record
 * @param retries how a batch whose processing throws is retried before its failing record is dead-lettered
 */
public record StageConfig(String stage, String instanceId, KafkaClientSettings kafka, String inputTopic,
        int maxBatch, Duration maxWait, int maxInputRecordBytes, ProcessingRetries retries) {

    public StageConfig {
        if (stage == null || stage.isBlank() || instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("stage and instanceId are required");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
        if (maxInputRecordBytes < 1) {
            throw new IllegalArgumentException("maxInputRecordBytes must be positive");
        }
        if (retries == null) {
            throw new IllegalArgumentException("retries are required");
        }
    }

    /** A stage with the default retries ({@link ProcessingRetries#DEFAULT}). */
    public StageConfig(String stage, String instanceId, KafkaClientSettings kafka, String inputTopic, int maxBatch,
            Duration maxWait, int maxInputRecordBytes) {
        this(stage, instanceId, kafka, inputTopic, maxBatch, maxWait, maxInputRecordBytes, ProcessingRetries.DEFAULT);
    }

    /** These settings with other retries. */
    public StageConfig withRetries(ProcessingRetries other) {
        return new StageConfig(stage, instanceId, kafka, inputTopic, maxBatch, maxWait, maxInputRecordBytes, other);
    }

    /** A stage whose input records are at most Kafka's default size (1 MiB). */
    public StageConfig(String stage, String instanceId, KafkaClientSettings kafka, String inputTopic, int maxBatch,
            Duration maxWait) {
        this(stage, instanceId, kafka, inputTopic, maxBatch, maxWait, KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES);
    }

    public String groupId() {
        return stage;
    }

    public String transactionalId() {
        return stage + "-" + instanceId;
    }
}
