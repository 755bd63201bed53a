package io.facestream.pipeline.enroll;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.quality.FaceQuality;
import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.core.quality.QualityScorer;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.AnalyzedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.analysis.FaceLookup;
import io.facestream.inference.degrade.LowResolution;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.schema.GallerySample;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import io.facestream.vision.quality.Sharpness;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Optional;
import org.opencv.core.Mat;

/**
 * Turns an enrollment photo into gallery samples: the largest face, aligned and embedded, if it passes the
 * enrollment gate (a gallery sample stands for a person in every later match), and, unless the low-resolution
 * size is 0, the same aligned face area-downscaled to that many pixels and scaled back ({@link LowResolution})
 * as a second sample. Why: an enrollment photo is sharp, while a camera often sees the same person's face only
 * a few dozen pixels wide, and the model embeds a face that lost its fine detail far from its sharp self; the
 * gallery takes the best sample per identity, so a small camera face meets a sample of its own resolution while
 * a sharp one still meets the sharp sample. It raises small strangers' scores too, by about as much, so the
 * services leave it off (genuine and impostor scores on faces-dev and the Hamilton clip: README, "Tracks and
 * sightings"). Thread-safe.
 */
public final class Enroller {

    /** Rejection kind of a face below the enrollment gate. */
    public static final String LOW_QUALITY = "low-quality";

    private final ImageDecoder decoder;
    private final FaceAnalyzer analyzer;
    private final String modelVersion;
    private final Clock clock;
    private final QualityScorer scorer;
    private final QualityGate gate;
    private final Optional<LowResolution> lowResolution;

    /**
     * @param lowResolutionSize side in pixels of the low-resolution sample kept beside each photo's sample, 0 for
     *                          none; at most {@link MobileFaceNet#INPUT_SIZE}
     */
    public Enroller(ImageDecoder decoder, FaceAnalyzer analyzer, String modelVersion, Clock clock,
            QualityConfig quality, QualityGate enrollmentGate, int lowResolutionSize) {
        if (lowResolutionSize < 0 || lowResolutionSize > MobileFaceNet.INPUT_SIZE) {
            throw new IllegalArgumentException("low-resolution size must be 0 (off) to " + MobileFaceNet.INPUT_SIZE
                    + " px, got " + lowResolutionSize);
        }
        this.decoder = decoder;
        this.analyzer = analyzer;
        this.modelVersion = modelVersion;
        this.clock = clock;
        this.scorer = new QualityScorer(quality);
        this.gate = enrollmentGate;
        this.lowResolution = lowResolutionSize == 0 ? Optional.empty()
                : Optional.of(new LowResolution(lowResolutionSize));
    }

    /**
     * @throws RejectedRecordException {@code undecodable-image}, {@code no-face} or {@code low-quality} (the
     *                                 face is below the enrollment gate), with a reason
     */
    public Enrollment enroll(String identityId, byte[] image) throws RejectedRecordException {
        try (DecodedImage decoded = decoder.decode(image)) {
            FaceLookup lookup = analyzer.largestFace(decoded.rgb(), PairEvaluation.RETRY_PADDING);
            AnalyzedFace face = lookup.face().orElseThrow(() -> new RejectedRecordException("no-face",
                    "no face found in the " + decoded.width() + "x" + decoded.height() + " image"));
            AlignedFace aligned = FaceAnalyzer.align(decoded.rgb(), face.face());
            try {
                FaceQuality q = scorer.assess(face.face().box(), face.face().landmarks(), face.face().score(),
                        Sharpness.varianceOfLaplacian(aligned.crop())).quality();
                Optional<String> refusal = gate.refusal(q);
                if (refusal.isPresent()) {
                    throw new RejectedRecordException(LOW_QUALITY, refusal.get());
                }
                GallerySample sample = sample(identityId, face.embedding().toArray(), aligned.crop());
                return new Enrollment(sample, lowResolution.map(camera -> degraded(identityId, camera, aligned.crop())));
            } finally {
                aligned.crop().release();
            }
        } catch (ImageDecodeException e) {
            throw new RejectedRecordException("undecodable-image", e.getMessage(), e);
        }
    }

    /** The aligned face as the low-resolution camera sees it, embedded; its crop is the degraded one. */
    private GallerySample degraded(String identityId, LowResolution camera, Mat crop) {
        Mat low = camera.apply(crop);
        try {
            return sample(identityId, analyzer.embedder().embed(low).toArray(), low);
        } finally {
            low.release();
        }
    }

    private GallerySample sample(String identityId, float[] embedding, Mat crop) {
        return GalleryRecords.sample(GalleryKey.newSample(identityId), embedding, modelVersion, null,
                ByteBuffer.wrap(PngEncoder.rgb(crop)), clock.instant());
    }
}
