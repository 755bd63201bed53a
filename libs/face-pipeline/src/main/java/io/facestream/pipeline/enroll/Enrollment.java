package io.facestream.pipeline.enroll;

import io.facestream.schema.GallerySample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one enrollment photo adds to the gallery: its sample, and — when the enroller keeps one — a second sample
 * of the same aligned face as a low-resolution camera would see it ({@link Enroller}).
 *
 * @param sample the photo's face at full resolution; its id is the one reported to the caller
 * @param lowResolution the same face degraded to the enroller's low-resolution size and embedded
 */
public record Enrollment(GallerySample sample, Optional<GallerySample> lowResolution) {

    /** Every sample to write, the full-resolution one first. */
    public List<GallerySample> samples() {
        List<GallerySample> all = new ArrayList<>(2);
        all.add(sample);
        lowResolution.ifPresent(all::add);
        return all;
    }
}
