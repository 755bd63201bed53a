package io.facestream.galleryindex.hnsw;

import io.facestream.core.gallery.ExactGalleryIndex;
import io.facestream.core.gallery.GalleryIndex;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Exact search while the gallery is small, HNSW above: every write goes to the {@link HnswGalleryIndex} (so it is
 * always ready and persisted), and while fewer than {@code exactBelow} samples are enrolled an
 * {@link ExactGalleryIndex} mirror answers the searches: at that size a scan is as fast and has no approximation
 * at all. Once the gallery reaches {@code exactBelow} the mirror is dropped for good (it is rebuilt from the
 * persisted index only on a reopen that finds fewer samples), so a gallery hovering around the limit does not
 * copy itself back and forth.
 */
public final class TieredGalleryIndex implements GalleryIndex, AutoCloseable {

    private final HnswGalleryIndex ann;
    private final int exactBelow;
    private final Object writeLock = new Object();
    private volatile ExactGalleryIndex exact;

    /** @param exactBelow gallery size from which searches use the HNSW graph; 0 = always */
    public TieredGalleryIndex(HnswGalleryIndex ann, int dimension, int exactBelow) {
        if (exactBelow < 0) {
            throw new IllegalArgumentException("exactBelow must not be negative, got " + exactBelow);
        }
        this.ann = ann;
        this.exactBelow = exactBelow;
        if (ann.size() < exactBelow) {
            ExactGalleryIndex mirror = new ExactGalleryIndex(dimension);
            ann.forEachVector((identity, sample, v) -> mirror.put(identity, sample, v)); // put copies the buffer
            exact = mirror;
        }
    }

    @Override
    public void put(String identityId, String sampleId, float[] unitVector) {
        synchronized (writeLock) {
            ann.put(identityId, sampleId, unitVector);
            ExactGalleryIndex mirror = exact;
            if (mirror != null) {
                mirror.put(identityId, sampleId, unitVector);
                if (mirror.size() >= exactBelow) {
                    exact = null;
                }
            }
        }
    }

    @Override
    public void removeSample(String identityId, String sampleId) {
        synchronized (writeLock) {
            ann.removeSample(identityId, sampleId);
            ExactGalleryIndex mirror = exact;
            if (mirror != null) {
                mirror.removeSample(identityId, sampleId);
            }
        }
    }

    @Override
    public void removeIdentity(String identityId) {
        synchronized (writeLock) {
            ann.removeIdentity(identityId);
            ExactGalleryIndex mirror = exact;
            if (mirror != null) {
                mirror.removeIdentity(identityId);
            }
        }
    }

    @Override
    public List<ScoredIdentity> search(float[] unitQuery, int k) {
        ExactGalleryIndex mirror = exact;
        return mirror != null ? mirror.search(unitQuery, k) : ann.search(unitQuery, k);
    }

    @Override
    public int size() {
        ExactGalleryIndex mirror = exact;
        return mirror != null ? mirror.size() : ann.size();
    }

    @Override
    public void forEachSample(BiConsumer<String, String> identityAndSample) {
        ann.forEachSample(identityAndSample);
    }

    /** Whether searches currently scan every sample. */
    public boolean searchesExactly() {
        return exact != null;
    }

    /** The HNSW index behind it (commits, statistics). */
    public HnswGalleryIndex ann() {
        return ann;
    }

    @Override
    public void close() {
        ann.close();
    }
}
