package io.facestream.retraining.crops;

import io.facestream.core.quality.FaceQuality;
import java.util.Objects;
import java.util.Optional;

/**
 * A face's aligned crop as the detector wrote it to {@code faces}.
 *
 * @param png     the 112×112 PNG
 * @param quality what the detector measured; empty for records written before quality existed
 */
public record KnownCrop(byte[] png, Optional<FaceQuality> quality) {

    public KnownCrop {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(quality, "quality");
    }
}
