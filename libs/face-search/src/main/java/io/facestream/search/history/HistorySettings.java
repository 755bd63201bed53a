package io.facestream.search.history;

import java.time.Duration;
import java.util.Objects;

/**
 * @param partition capture-time span of one partition (one Lucene index); expiry drops whole partitions
 * @param retention how far back faces are kept; older ones are neither indexed nor returned, and a partition
 *     wholly older is deleted
 * @param ramBufferMb indexing buffer per partition being written, before Lucene flushes it to disk
 * @param pendingMatches matches kept while their face has not been indexed yet (the two topics are read
 *     independently), beyond which the oldest is forgotten
 */
public record HistorySettings(Duration partition, Duration retention, double ramBufferMb, int pendingMatches) {

    public HistorySettings {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(retention, "retention");
        if (partition.toMillis() < 1000) {
            throw new IllegalArgumentException("a partition must span at least 1 s, not " + partition);
        }
        if (retention.compareTo(partition) < 0) {
            throw new IllegalArgumentException("retention (" + retention + ") is shorter than a partition ("
                    + partition + ")");
        }
        if (ramBufferMb < 1 || ramBufferMb > 1024) {
            throw new IllegalArgumentException("ramBufferMb must be in [1, 1024], not " + ramBufferMb);
        }
        if (pendingMatches < 1) {
            throw new IllegalArgumentException("pendingMatches must be at least 1, not " + pendingMatches);
        }
    }
}
