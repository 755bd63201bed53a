package io.facestream.matching.gallery;

import io.facestream.core.gallery.GalleryIndex;
import io.facestream.core.gallery.GalleryIndexStore;
import io.facestream.core.gallery.GalleryIndex.ScoredIdentity;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The enrolled gallery as the matcher sees it: one index per embedding model version (embeddings of
 * different versions are never compared) and the identities' display names. Updated by
 * {@link GalleryReplica} from the compacted topics, read by the matching processor; thread-safe. The indexes
 * come from a {@link GalleryIndexStore}: exact and in memory by default, or persisted HNSW indexes that a
 * restart reopens, so the replica replays only the gallery records newer than their last commit.
 */
public final class GalleryView {

    private final GalleryIndexStore store;
    private final Map<String, GalleryIndex> byModel = new ConcurrentHashMap<>();
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> sampleKeys = new ConcurrentHashMap<>();
    /** Identities whose tombstone was seen: ids are never reused, so their samples stay out on any replay order. */
    private final Set<String> erased = ConcurrentHashMap.newKeySet();
    private final AtomicLong version = new AtomicLong();

    /** Exact in-memory indexes, rebuilt from the topics on every start. */
    public GalleryView(int dimension) {
        this(GalleryIndexStore.exact(dimension));
    }

    /** Indexes from {@code store}; those it reopened are in the view at once, with their samples' keys. */
    public GalleryView(GalleryIndexStore store) {
        this.store = store;
        for (String modelVersion : store.persistedVersions()) {
            GalleryIndex index = store.index(modelVersion);
            byModel.put(modelVersion, index);
            index.forEachSample((identityId, sampleId) -> sampleKeys
                    .computeIfAbsent(identityId, id -> ConcurrentHashMap.newKeySet()).add(key(identityId, sampleId)));
        }
    }

    /** Per gallery partition, where the replica starts reading; absent = the beginning. */
    public Map<Integer, Long> resumeOffsets() {
        return store.resumeOffsets();
    }

    /** Persists the indexes with the gallery offsets they cover (a no-op for in-memory indexes). */
    public void commit(Map<Integer, Long> nextOffsets) {
        store.commit(nextOffsets);
    }

    /** Applies one gallery record; {@code sample == null} is a tombstone for {@code key} ("identity/sample"). */
    public void applySample(String key, GallerySample sample) {
        if (sample == null) {
            int slash = key.indexOf('/');
            if (slash > 0) {
                String identityId = key.substring(0, slash);
                byModel.values().forEach(i -> i.removeSample(identityId, key.substring(slash + 1)));
                sampleKeys.computeIfPresent(identityId, (id, keys) -> {
                    keys.remove(key);
                    return keys.isEmpty() ? null : keys;
                });
            }
        } else if (!erased.contains(sample.getIdentityId())) {
            float[] v = new float[sample.getVector().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = sample.getVector().get(i);
            }
            byModel.computeIfAbsent(sample.getModelVersion(), store::index)
                    .put(sample.getIdentityId(), sample.getSampleId(), v);
            sampleKeys.computeIfAbsent(sample.getIdentityId(), id -> ConcurrentHashMap.newKeySet()).add(key);
        }
        version.incrementAndGet();
    }

    /** Applies one identities record; a tombstone erases the person from every index. */
    public void applyIdentity(String identityId, Identity identity) {
        if (identity == null) {
            erased.add(identityId);
            identities.remove(identityId);
            sampleKeys.remove(identityId);
            byModel.values().forEach(i -> i.removeIdentity(identityId));
        } else {
            identities.put(identityId, identity);
        }
        version.incrementAndGet();
    }

    /** Best identities for a query of the given model version; empty when nobody is enrolled under it. */
    public List<ScoredIdentity> search(String modelVersion, float[] unitQuery, int k) {
        GalleryIndex index = byModel.get(modelVersion);
        return index == null ? List.of() : index.search(unitQuery, k);
    }

    /** Gallery keys ("identity/sample") of an identity's samples, for erasure. */
    public Set<String> sampleKeys(String identityId) {
        return Set.copyOf(sampleKeys.getOrDefault(identityId, Set.of()));
    }

    /** The key of a sample on the gallery topic. */
    public static String key(String identityId, String sampleId) {
        return identityId + "/" + sampleId;
    }

    public Optional<Identity> identity(String identityId) {
        return Optional.ofNullable(identities.get(identityId));
    }

    public List<Identity> identities() {
        return List.copyOf(identities.values());
    }

    /** Samples enrolled under a model version. */
    public int size(String modelVersion) {
        GalleryIndex index = byModel.get(modelVersion);
        return index == null ? 0 : index.size();
    }

    /** Increases with every applied update: which gallery a match was computed against. */
    public long version() {
        return version.get();
    }
}
