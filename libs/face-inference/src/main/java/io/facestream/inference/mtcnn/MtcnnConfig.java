package io.facestream.inference.mtcnn;

/**
 * MTCNN settings. Defaults: the original MTCNN values (pyramid factor 0.709, stage thresholds
 * 0.6/0.7/0.7) and a 20-pixel minimum face.
 *
 * @param minFaceSize smallest face side to look for, in pixels (≥ 12; smaller means more pyramid levels)
 * @param scaleFactor ratio between pyramid levels, in (0, 1)
 * @param pnetThreshold keep PNet cells whose face probability exceeds this
 * @param rnetThreshold keep RNet boxes scoring at least this
 * @param onetThreshold keep ONet boxes (the final faces) scoring at least this
 */
public record MtcnnConfig(int minFaceSize, double scaleFactor, double pnetThreshold, double rnetThreshold,
        double onetThreshold) {

    public static final MtcnnConfig DEFAULT = new MtcnnConfig(20, 0.709, 0.6, 0.7, 0.7);

    public MtcnnConfig {
        if (minFaceSize < 12) {
            throw new IllegalArgumentException("minFaceSize must be at least 12 pixels (PNet's window), got "
                    + minFaceSize);
        }
        if (!(scaleFactor > 0 && scaleFactor < 1)) {
            throw new IllegalArgumentException("scaleFactor must be in (0, 1), got " + scaleFactor);
        }
        for (double t : new double[] {pnetThreshold, rnetThreshold, onetThreshold}) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("thresholds must be in [0, 1], got " + t);
            }
        }
    }

    public MtcnnConfig withMinFaceSize(int size) {
        return new MtcnnConfig(size, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold);
    }
}
