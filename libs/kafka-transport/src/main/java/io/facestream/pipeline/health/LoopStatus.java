package io.facestream.pipeline.health;

import java.time.Duration;

/**
 * A snapshot of one long-running loop, as facts: the service's health check decides what is unhealthy (failed,
 * stopped, or no iteration for longer than it allows).
 *
 * @param component the loop's name, e.g. {@code stage-detector}, {@code gallery-replica}
 * @param state where the loop stands
 * @param sinceLastIteration time since the loop last finished an iteration (or started, or began a back-off)
 * @param detail why it is retrying or failed; empty when running
 */
public record LoopStatus(String component, LoopState state, Duration sinceLastIteration, String detail) {

    public LoopStatus {
        detail = detail == null ? "" : detail;
    }
}
