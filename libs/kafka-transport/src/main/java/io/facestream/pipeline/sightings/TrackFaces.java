package io.facestream.pipeline.sightings;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which faces belong to which track (= sighting), from the {@code trackId} of recent matches: what labelling a
 * sighting labels. Bounded twice, so one long visit cannot hold the memory of all others: at most
 * {@code maxFacesPerTrack} face ids per track (a longer track keeps its latest ones) and at most
 * {@code maxFaces} face ids in all (beyond that, the tracks that got a face longest ago are dropped whole).
 * Thread-safe.
 */
public final class TrackFaces {

    private final int maxFaces;
    private final int maxFacesPerTrack;
    /** In order of each track's latest face, eldest first. */
    private final LinkedHashMap<String, Deque<String>> byTrack = new LinkedHashMap<>();
    private int faces;

    public TrackFaces(int maxFaces, int maxFacesPerTrack) {
        if (maxFaces < 1 || maxFacesPerTrack < 1 || maxFacesPerTrack > maxFaces) {
            throw new IllegalArgumentException("need 1 <= maxFacesPerTrack (" + maxFacesPerTrack + ") <= maxFaces ("
                    + maxFaces + ")");
        }
        this.maxFaces = maxFaces;
        this.maxFacesPerTrack = maxFacesPerTrack;
    }

    /** Records that the face belongs to the track; a face already recorded for it is not added twice. */
    public synchronized void add(String trackId, String faceId) {
        Deque<String> ids = byTrack.remove(trackId); // re-inserted at the young end
        if (ids == null) {
            ids = new ArrayDeque<>();
        }
        byTrack.put(trackId, ids);
        if (ids.contains(faceId)) { // a replayed match; tracks are short enough for a scan
            return;
        }
        ids.addLast(faceId);
        faces++;
        if (ids.size() > maxFacesPerTrack) {
            ids.removeFirst();
            faces--;
        }
        Iterator<Map.Entry<String, Deque<String>>> eldest = byTrack.entrySet().iterator();
        while (faces > maxFaces) {
            Map.Entry<String, Deque<String>> e = eldest.next();
            faces -= e.getValue().size();
            eldest.remove();
        }
    }

    /** The track's faces still recorded, in the order they arrived; empty for an unknown track. */
    public synchronized List<String> faces(String trackId) {
        Deque<String> ids = byTrack.get(trackId);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    /** Face ids recorded in all. */
    public synchronized int size() {
        return faces;
    }
}
