package io.facestream.services.matcher.streams;

import io.facestream.pipeline.health.LoopState;
import io.facestream.pipeline.health.LoopStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a Streams thread's unexpected failure leads to, and reports the client's health. A failing thread is
 * replaced (a broker hiccup, a crash inside a transaction), but at most {@link #MAX_REPLACEMENTS} times within
 * {@link #WINDOW}: a failure that comes back after every replacement (a poison pill the topology does not catch) is
 * a loop that matches nothing, so the client is shut down into ERROR, where {@code /health} reports it DOWN with
 * the cause, instead of spinning silently.
 */
final class StreamsSupervisor implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(StreamsSupervisor.class);

    private final String component;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile String lastFailure = "";

    StreamsSupervisor(String component) {
        this.component = component;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable failure) {
        long now = System.nanoTime();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toNanos()) {
            replacements.removeFirst();
        }
        lastFailure = failure.toString();
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.error("{}: stream thread failed again after {} replacements within {}; shutting the client down",
                    component, replacements.size(), WINDOW, failure);
            lastFailure = "stream thread failed " + (replacements.size() + 1) + " times within " + WINDOW + ": "
                    + failure;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.error("{}: stream thread failed; replacing it ({} of {} within {})", component, replacements.size(),
                MAX_REPLACEMENTS, WINDOW, failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * The client as a loop: ERROR and PENDING_ERROR are FAILED, a closed client STOPPED, anything else running
     * (Streams keeps its own threads polling; a rebalance is normal).
     */
    LoopStatus status(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, PENDING_ERROR -> new LoopStatus(component, LoopState.FAILED, Duration.ZERO,
                    "Kafka Streams is " + state + (lastFailure.isEmpty() ? "" : ": " + lastFailure));
            case NOT_RUNNING, PENDING_SHUTDOWN -> new LoopStatus(component, LoopState.STOPPED, Duration.ZERO,
                    "Kafka Streams is " + state);
            default -> new LoopStatus(component, LoopState.RUNNING, Duration.ZERO, "Kafka Streams is " + state
                    + (lastFailure.isEmpty() ? "" : "; last thread failure: " + lastFailure));
        };
    }
}
