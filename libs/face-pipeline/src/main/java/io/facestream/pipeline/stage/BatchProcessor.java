package io.facestream.pipeline.stage;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The work of a stage on one batch: every input record yields its outputs or a dead letter. An exception
 * escaping {@link #process} means an infrastructure failure (not a bad record): the batch is retried.
 */
@FunctionalInterface
public interface BatchProcessor {

    List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch);
}
