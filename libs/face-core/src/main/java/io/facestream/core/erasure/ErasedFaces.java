package io.facestream.core.erasure;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The faces that erasures removed, by face id, as every index rebuilt or replayed from the topics must know
 * them: a face whose id is marked is left out when it arrives, whatever order the marker and the face are read
 * in. No biometric data, only ids and the time of the erasure.
 *
 * <p>Bounded two ways. A mark older than {@code keepFor} before the newest mark is dropped: by then the faces
 * it hides have aged out of every topic and index that could bring them back (the caller sets {@code keepFor}
 * to the marker topic's retention). Beyond {@code capacity} marks the eldest (first marked) is dropped too and
 * counted in {@link #forgotten()}: a face of a forgotten mark that is replayed again comes back, so the
 * capacity must exceed the faces erased within {@code keepFor}. About 150 bytes per mark. Thread-safe.
 */
public final class ErasedFaces {

    private final int capacity;
    private final long keepForMs;
    /** Face id → erasure time (ms), in the order first marked (about erasure order: the topic's order). */
    private final LinkedHashMap<String, Long> marks = new LinkedHashMap<>();
    private long newest = Long.MIN_VALUE;
    private long forgotten;

    /**
     * @param capacity most marks held
     * @param keepFor how long a mark is held after the newest one's erasure time
     */
    public ErasedFaces(int capacity, Duration keepFor) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (keepFor.isNegative() || keepFor.isZero()) {
            throw new IllegalArgumentException("keepFor must be positive: " + keepFor);
        }
        this.capacity = capacity;
        this.keepForMs = keepFor.toMillis();
    }

    /**
     * Marks a face as erased at {@code erasedAtMs}; marking it again keeps the first time (a duplicate marker
     * from another instance or a replay changes nothing).
     *
     * @return true when the face was not marked before
     */
    public synchronized boolean mark(String faceId, long erasedAtMs) {
        if (faceId == null) {
            throw new IllegalArgumentException("faceId is required");
        }
        newest = Math.max(newest, erasedAtMs);
        if (erasedAtMs < newest - keepForMs) {
            return false; // its faces are gone from every topic and index already
        }
        boolean fresh = marks.putIfAbsent(faceId, erasedAtMs) == null;
        trim();
        return fresh;
    }

    /** Whether the face was erased (and its mark is still held). */
    public synchronized boolean contains(String faceId) {
        return faceId != null && marks.containsKey(faceId);
    }

    /** Marks held. */
    public synchronized int size() {
        return marks.size();
    }

    /** Marks dropped by the capacity (not by age) since this set was made. */
    public synchronized long forgotten() {
        return forgotten;
    }

    private void trim() {
        long cutoff = newest - keepForMs;
        for (Iterator<Map.Entry<String, Long>> it = marks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> eldest = it.next();
            if (marks.size() > capacity) {
                it.remove();
                forgotten++;
            } else if (eldest.getValue() < cutoff) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
