package io.facestream.pipeline.enroll;

import io.facestream.core.quality.FaceQuality;
import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.core.quality.QualityScorer;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.AnalyzedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.analysis.FaceLookup;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.GallerySample;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import io.facestream.vision.quality.Sharpness;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns an enrollment photo into a gallery sample: the largest face, aligned and embedded, if it passes the
 * enrollment gate (a gallery sample stands for a person in every later match). Thread-safe.
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

    public Enroller(ImageDecoder decoder, FaceAnalyzer analyzer, String modelVersion, Clock clock,
            QualityConfig quality, QualityGate enrollmentGate) {
        this.decoder = decoder;
        this.analyzer = analyzer;
        this.modelVersion = modelVersion;
        this.clock = clock;
        this.scorer = new QualityScorer(quality);
        this.gate = enrollmentGate;
    }

    /**
     * @throws RejectedRecordException {@code undecodable-image}, {@code no-face} or {@code low-quality} (the
     *                                 face is below the enrollment gate), with a reason
     */
    public GallerySample enroll(String identityId, byte[] image) throws RejectedRecordException {
        try (DecodedImage decoded = decoder.decode(image)) {
            FaceLookup lookup = analyzer.largestFace(decoded.rgb(), PairEvaluation.RETRY_PADDING);
            AnalyzedFace face = lookup.face().orElseThrow(() -> new RejectedRecordException("no-face",
                    "no face found in the " + decoded.width() + "x" + decoded.height() + " image"));
            AlignedFace aligned = FaceAnalyzer.align(decoded.rgb(), face.face());
            byte[] crop;
            try {
                FaceQuality q = scorer.assess(face.face().box(), face.face().landmarks(), face.face().score(),
                        Sharpness.varianceOfLaplacian(aligned.crop())).quality();
                Optional<String> refusal = gate.refusal(q);
                if (refusal.isPresent()) {
                    throw new RejectedRecordException(LOW_QUALITY, refusal.get());
                }
                crop = PngEncoder.rgb(aligned.crop());
            } finally {
                aligned.crop().release();
            }
            List<Float> vector = new ArrayList<>();
            for (float v : face.embedding().toArray()) {
                vector.add(v);
            }
            return GallerySample.newBuilder().setIdentityId(identityId).setSampleId(UUID.randomUUID().toString())
                    .setVector(vector).setModelVersion(modelVersion).setSourceFaceId(null)
                    .setEnrolledAt(clock.instant()).setAlignedCrop(ByteBuffer.wrap(crop)).build();
        } catch (ImageDecodeException e) {
            throw new RejectedRecordException("undecodable-image", e.getMessage(), e);
        }
    }
}
