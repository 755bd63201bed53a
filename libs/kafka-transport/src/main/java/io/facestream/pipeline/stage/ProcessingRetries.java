package io.facestream.pipeline.stage;

import java.time.Duration;

/**
 * How often a stage tries a batch whose processing throws an unexpected exception before it looks for the record
 * that throws and dead-letters it, and how long it waits between tries (doubling each time, at most
 * {@link #MAX_BACKOFF}).
 *
 * @param maxAttempts tries of the whole batch, at least 1
 * @param backoff wait after the first failed try
 */
public record ProcessingRetries(int maxAttempts, Duration backoff) {

    /** Three tries, 1 s then 2 s apart. */
    public static final ProcessingRetries DEFAULT = new ProcessingRetries(3, Duration.ofSeconds(1));
    /** Longest single wait: a stage must poll again well within the consumer's max.poll.interval.ms (5 min). */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public ProcessingRetries {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (backoff == null || backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must be zero or positive, was " + backoff);
        }
    }

    /** The wait after failed try {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        Duration d = backoff;
        for (int i = 1; i < attempt && d.compareTo(MAX_BACKOFF) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
