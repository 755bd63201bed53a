package io.facestream.pipeline.health;

import java.time.Duration;

/**
 * The heartbeat of one long-running thread: the thread records each finished iteration, each back-off and how it
 * ended; any thread reads a {@link LoopStatus}. Thread-safe (volatile fields, one writer).
 */
public final class LoopHealth {

    private final String component;
    private volatile long lastIterationNanos = System.nanoTime();
    private volatile LoopState state = LoopState.STARTING;
    private volatile String detail = "";

    public LoopHealth(String component) {
        this.component = component;
    }

    public String component() {
        return component;
    }

    /** An iteration finished normally: the loop is running (again). */
    public void iterated() {
        lastIterationNanos = System.nanoTime();
        if (state == LoopState.STARTING || state == LoopState.RETRYING) {
            state = LoopState.RUNNING;
            detail = "";
        }
    }

    /** The loop met {@code failure} and backs off before attempt {@code attempt + 1} of {@code maxAttempts}. */
    public void retrying(int attempt, int maxAttempts, Throwable failure) {
        lastIterationNanos = System.nanoTime();
        if (state != LoopState.FAILED && state != LoopState.STOPPED) {
            state = LoopState.RETRYING;
            detail = "attempt " + attempt + " of " + maxAttempts + " failed: " + failure;
        }
    }

    /** The loop ended without being asked to; {@code why} names the cause. */
    public void failed(String why) {
        detail = why;
        state = LoopState.FAILED;
    }

    /** The loop ended because it was closed. A loop that had already failed stays failed. */
    public void stopped() {
        if (state != LoopState.FAILED) {
            state = LoopState.STOPPED;
        }
    }

    public LoopState state() {
        return state;
    }

    public LoopStatus status() {
        return new LoopStatus(component, state, Duration.ofNanos(System.nanoTime() - lastIterationNanos), detail);
    }
}
