package io.facestream.pipeline.stage;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The work of a stage on one batch: every input record yields its outputs or a dead letter. A
 * {@link org.apache.kafka.common.KafkaException} or {@link java.io.UncheckedIOException} escaping {@link #process}
 * is an infrastructure failure (the broker, the disk): the batch is retried for as long as it lasts. Any other exception is retried a bounded number of times, then the record
 * that throws is dead-lettered ({@link TransactionalStage}). Must be safe to call again on the same records.
 */
@FunctionalInterface
public interface BatchProcessor {

    List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch);
}
