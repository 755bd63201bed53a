package io.facestream.pipeline.quality;

import io.facestream.core.quality.FaceQuality;

/**
 * Face quality between face-core's record and the Avro one on {@code faces} and {@code embeddings}, so a gate
 * can judge a stored crop the way the detector judged the live face.
 */
public final class QualityRecords {

    private QualityRecords() {
    }

    public static io.facestream.schema.FaceQuality toAvro(FaceQuality q) {
        return io.facestream.schema.FaceQuality.newBuilder().setScore((float) q.score()).setWidthPx(q.widthPx())
                .setHeightPx(q.heightPx()).setSharpness((float) q.sharpness()).setFrontality((float) q.frontality())
                .build();
    }

    /**
     * The record as face-core's type. A record read from a topic is untrusted: values out of range are clamped
     * and NaN reads as 0, so a damaged record fails a gate instead of passing it or throwing.
     */
    public static FaceQuality fromAvro(io.facestream.schema.FaceQuality q) {
        return new FaceQuality(clamp(q.getScore(), 1), Math.max(0, q.getWidthPx()), Math.max(0, q.getHeightPx()),
                clamp(q.getSharpness(), Float.MAX_VALUE), clamp(q.getFrontality(), 1));
    }

    private static double clamp(float v, double max) {
        return Float.isNaN(v) ? 0 : Math.max(0, Math.min(max, v));
    }
}
