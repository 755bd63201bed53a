package io.facestream.pipeline.enroll;

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
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns an enrollment photo into a gallery sample: the largest face, aligned and embedded. Thread-safe. */
public final class Enroller {

    private final ImageDecoder decoder;
    private final FaceAnalyzer analyzer;
    private final String modelVersion;
    private final Clock clock;

    public Enroller(ImageDecoder decoder, FaceAnalyzer analyzer, String modelVersion, Clock clock) {
        this.decoder = decoder;
        this.analyzer = analyzer;
        this.modelVersion = modelVersion;
        this.clock = clock;
    }

    /**
     * @throws RejectedRecordException {@code undecodable-image} or {@code no-face}, with a reason
     */
    public GallerySample enroll(String identityId, byte[] image) throws RejectedRecordException {
        try (DecodedImage decoded = decoder.decode(image)) {
            FaceLookup lookup = analyzer.largestFace(decoded.rgb(), PairEvaluation.RETRY_PADDING);
            AnalyzedFace face = lookup.face().orElseThrow(() -> new RejectedRecordException("no-face",
                    "no face found in the " + decoded.width() + "x" + decoded.height() + " image"));
            AlignedFace aligned = FaceAnalyzer.align(decoded.rgb(), face.face());
            byte[] crop;
            try {
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
