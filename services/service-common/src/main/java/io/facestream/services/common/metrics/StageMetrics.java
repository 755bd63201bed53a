package io.facestream.services.common.metrics;

import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.stage.TransactionalStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;

/**
 * The meters every stage exports, named once: {@code facestream_dlq{stage,reason}} counts committed dead letters,
 * {@code facestream_consumer_lag{stage,partition}} is the current lag of this instance on each partition of its
 * input (log end − committed offset; 0 for a partition another instance owns, so a sum over instances is the
 * stage's lag).
 */
public final class StageMetrics {

    public static final String DLQ = "facestream.dlq";
    public static final String CONSUMER_LAG = "facestream.consumer.lag";

    private StageMetrics() {
    }

    /** Counts each dead letter under its stage and reason. */
    public static DeadLetterListener deadLetters(MeterRegistry registry) {
        return (stage, reason) -> registry.counter(DLQ, "stage", stage, "reason", reason).increment();
    }

    /** One lag gauge per partition of the stage's input topic. */
    public static void lag(MeterRegistry registry, String stage, TransactionalStage running, int partitions) {
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            registry.gauge(CONSUMER_LAG, List.of(Tag.of("stage", stage), Tag.of("partition", Integer.toString(p))),
                    running, s -> s.lag(partition));
        }
    }
}
