package io.facestream.services.matcher.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** A failing stream thread is replaced a bounded number of times; the client's state decides its health. */
class StreamsSupervisorTest {

    @Test
    void aFailureThatKeepsComingBackShutsTheClientDownInsteadOfLooping() {
        StreamsSupervisor supervisor = new StreamsSupervisor("matcher-streams");
        for (int i = 1; i <= StreamsSupervisor.MAX_REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                    supervisor.handle(new IllegalStateException("failure " + i)), "failure " + i);
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                supervisor.handle(new IllegalStateException("once more")));

        LoopStatus failed = supervisor.status(KafkaStreams.State.ERROR);
        assertEquals(LoopState.FAILED, failed.state());
        assertEquals("matcher-streams", failed.component());
        assertTrue(failed.detail().contains("Kafka Streams is ERROR") && failed.detail().contains("once more"),
                failed.detail());
    }

    @Test
    void theClientsStateIsItsHealth() {
        StreamsSupervisor supervisor = new StreamsSupervisor("matcher-streams");
        assertEquals(LoopState.RUNNING, supervisor.status(KafkaStreams.State.RUNNING).state());
        assertEquals(LoopState.RUNNING, supervisor.status(KafkaStreams.State.REBALANCING).state());
        assertEquals(LoopState.FAILED, supervisor.status(KafkaStreams.State.PENDING_ERROR).state());
        assertEquals(LoopState.STOPPED, supervisor.status(KafkaStreams.State.NOT_RUNNING).state());
    }
}
