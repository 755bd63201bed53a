package io.facestream.core.gallery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which samples each identity has, by gallery key, and which identities were erased: the state rules every
 * reader of the gallery topics shares. The topics are two (samples, identities) and replay in no fixed order
 * against each other, so an erasure wins whatever comes first: ids are never reused, and a sample of an erased
 * identity is refused even when it is read after the tombstone. Thread-safe for readers while one thread applies.
 *
 * @param <S> what a reader keeps per sample (the whole record, or only what it needs)
 */
public final class GalleryLedger<S> {

    private final Map<String, Map<String, S>> byIdentity = new ConcurrentHashMap<>();
    private final Set<String> erased = ConcurrentHashMap.newKeySet();

    /**
     * Adds or replaces a sample.
     *
     * @return false when its identity was erased: the sample is not kept
     */
    public boolean put(GalleryKey key, S sample) {
        if (erased.contains(key.identityId())) {
            return false;
        }
        byIdentity.computeIfAbsent(key.identityId(), id -> new ConcurrentHashMap<>()).put(key.sampleId(), sample);
        return true;
    }

    /** Removes a sample (its tombstone); the removed value, if it was kept. */
    public Optional<S> remove(GalleryKey key) {
        AtomicReference<S> removed = new AtomicReference<>();
        byIdentity.computeIfPresent(key.identityId(), (id, samples) -> {
            removed.set(samples.remove(key.sampleId()));
            return samples.isEmpty() ? null : samples;
        });
        return Optional.ofNullable(removed.get());
    }

    /** Erases an identity for good: its samples go, and later ones are refused. @return the samples removed */
    public List<S> erase(String identityId) {
        erased.add(identityId);
        Map<String, S> removed = byIdentity.remove(identityId);
        return removed == null ? List.of() : List.copyOf(removed.values());
    }

    public boolean isErased(String identityId) {
        return erased.contains(identityId);
    }

    /** The keys of an identity's samples. */
    public Set<GalleryKey> keys(String identityId) {
        Map<String, S> samples = byIdentity.get(identityId);
        if (samples == null) {
            return Set.of();
        }
        return Set.copyOf(samples.keySet().stream().map(s -> new GalleryKey(identityId, s)).toList());
    }

    /** Every kept sample with its key, a copy. */
    public Map<GalleryKey, S> samples() {
        Map<GalleryKey, S> all = new HashMap<>();
        byIdentity.forEach((identity, samples) -> samples.forEach((s, v) -> all.put(new GalleryKey(identity, s), v)));
        return all;
    }

    /** Every kept sample. */
    public List<S> values() {
        List<S> all = new ArrayList<>();
        byIdentity.values().forEach(samples -> all.addAll(samples.values()));
        return all;
    }
}
