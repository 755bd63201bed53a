package io.facestream.pipeline.gallery;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.gallery.GalleryLedger;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.util.Map;

/**
 * Every enrolled sample as it was written, aligned crops included, without the erased: what the retrainer
 * re-embeds under a new model and takes enrollment crops from. Tells a {@link Listener} what it applies.
 */
public final class GallerySamples implements GalleryState {

    /** Told of every sample kept and every erasure, in topic order, on the replica's thread. */
    public interface Listener {

        Listener NONE = new Listener() {
            @Override
            public void enrolled(GallerySample sample) {
            }

            @Override
            public void erased(String identityId) {
            }
        };

        void enrolled(GallerySample sample);

        void erased(String identityId);
    }

    private final GalleryLedger<GallerySample> ledger = new GalleryLedger<>();
    private final Listener listener;

    public GallerySamples(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void applySample(GalleryKey key, GallerySample sample) {
        if (sample == null) {
            ledger.remove(key);
        } else if (ledger.put(key, sample)) {
            listener.enrolled(sample);
        }
    }

    @Override
    public void applyIdentity(String identityId, Identity identity) {
        if (identity == null) {
            ledger.erase(identityId);
            listener.erased(identityId);
        }
    }

    /** Every live sample by key, a copy. */
    public Map<GalleryKey, GallerySample> all() {
        return ledger.samples();
    }

    public boolean isErased(String identityId) {
        return ledger.isErased(identityId);
    }
}
