package io.facestream.pipeline.sightings;

import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The latest state of the most recently updated sightings, as read from the compacted {@code sightings} topic:
 * a sighting is rewritten in place (OPEN, updated, CLOSED), so the view keeps one state per sighting id and at
 * most {@code capacity} sightings; when a new one would exceed that, the one updated longest ago is dropped.
 * Thread-safe.
 */
public final class SightingsView {

    /** Newest first: latest face first, then the later write, then by id so the order is total. */
    static final Comparator<Sighting> NEWEST_FIRST = Comparator.comparingLong((Sighting s) -> s.getLastSeenAt().toEpochMilli())
            .thenComparingLong(s -> s.getUpdatedAt().toEpochMilli()).reversed()
            .thenComparing(Sighting::getSightingId);

    private final int capacity;
    /** In update order (re-inserted on every new state), so the eldest entry is the one to evict. */
    private final LinkedHashMap<String, Sighting> byId = new LinkedHashMap<>();

    public SightingsView(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes a state of a sighting. A state written before the one held (an older {@code updatedAt}, as a
     * replay or a duplicate delivery can bring) and an identical repeat are ignored.
     *
     * @return whether the view changed (the state is new), i.e. whether live subscribers should hear of it
     */
    public synchronized boolean put(Sighting s) {
        Sighting held = byId.get(s.getSightingId());
        if (held != null && (s.getUpdatedAt().isBefore(held.getUpdatedAt()) || s.equals(held))) {
            return false;
        }
        byId.remove(s.getSightingId()); // re-inserted at the young end
        byId.put(s.getSightingId(), s);
        while (byId.size() > capacity) {
            var eldest = byId.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return true;
    }

    /** A tombstone on the topic: the sighting is gone. */
    public synchronized void remove(String sightingId) {
        byId.remove(sightingId);
    }

    public synchronized Optional<Sighting> get(String sightingId) {
        return Optional.ofNullable(byId.get(sightingId));
    }

    public synchronized int size() {
        return byId.size();
    }

    /**
     * Up to {@code limit} sightings, newest (latest face) first.
     *
     * @param cameraId only this camera's, or null for all
     * @param decision only these, or null for both
     */
    public List<Sighting> latest(String cameraId, Decision decision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        List<Sighting> all;
        synchronized (this) {
            all = List.copyOf(byId.values()); // sorted outside the lock: at most capacity references
        }
        return all.stream()
                .filter(s -> cameraId == null || cameraId.equals(s.getCameraId()))
                .filter(s -> decision == null || decision == s.getDecision())
                .sorted(NEWEST_FIRST).limit(limit).toList();
    }

    /** The ids held, eldest update first. */
    synchronized List<String> idsInUpdateOrder() {
        return List.copyOf(byId.keySet());
    }

    @Override
    public synchronized String toString() {
        return "SightingsView[" + byId.size() + "/" + capacity + "]";
    }
}
