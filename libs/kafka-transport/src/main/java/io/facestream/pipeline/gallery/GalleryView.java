package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryIndex;
import io.facestream.core.gallery.GalleryIndex.ScoredIdentity;
import io.facestream.core.gallery.GalleryIndexStore;
import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.gallery.GalleryLedger;
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
public final class GalleryView implements GalleryState {

    private final GalleryIndexStore store;
    private final Map<String, GalleryIndex> byModel = new ConcurrentHashMap<>();
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    /** Each sample's model version, by key; keeps erased identities out on any replay order. */
    private final GalleryLedger<String> samples = new GalleryLedger<>();
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
            index.forEachSample((identityId, sampleId) -> samples.put(GalleryKey.of(identityId, sampleId), modelVersion));
        }
    }

    /** Per gallery partition, where the replica starts reading; absent = the beginning. */
    @Override
    public Map<Integer, Long> resumeOffsets() {
        return store.resumeOffsets();
    }

    /** Persists the indexes with the gallery offsets they cover (a no-op for in-memory indexes). */
    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        store.commit(nextOffsets);
    }

    /** Applies one gallery record; {@code sample == null} is the tombstone of {@code key}. */
    @Override
    public void applySample(GalleryKey key, GallerySample sample) {
        if (sample == null) {
            byModel.values().forEach(i -> i.removeSample(key.identityId(), key.sampleId()));
            samples.remove(key);
        } else if (!samples.isErased(key.identityId())) {
            // Into the index before the key is listed: a writer that waits for the key then finds it searchable.
            byModel.computeIfAbsent(sample.getModelVersion(), store::index)
                    .put(sample.getIdentityId(), sample.getSampleId(), GalleryRecords.vector(sample));
            samples.put(key, sample.getModelVersion());
        }
        version.incrementAndGet();
    }

    /** Applies one identities record; a tombstone erases the person from every index. */
    @Override
    public void applyIdentity(String identityId, Identity identity) {
        if (identity == null) {
            // Out of the indexes first: a writer that waits for the person to be gone then finds nothing.
            byModel.values().forEach(i -> i.removeIdentity(identityId));
            samples.erase(identityId);
            identities.remove(identityId);
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

    /** The keys of an identity's samples, for erasure. */
    public Set<GalleryKey> sampleKeys(String identityId) {
        return samples.keys(identityId);
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
