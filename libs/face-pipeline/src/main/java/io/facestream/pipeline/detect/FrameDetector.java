package io.facestream.pipeline.detect;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Point2;
import io.facestream.core.quality.FaceQuality;
import io.facestream.core.quality.QualityScorer;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.quality.QualityRecords;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Point;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.decode.ImageFormat;
import io.facestream.vision.encode.PngEncoder;
import io.facestream.vision.motion.MotionConfig;
import io.facestream.vision.motion.MotionDecision;
import io.facestream.vision.motion.MotionGates;
import io.facestream.vision.quality.Sharpness;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opencv.core.Mat;

/**
 * The detector stage: a frame in, one {@link FaceCrop} per face good enough to embed (with its aligned 112×112
 * crop as PNG and its quality) and one {@link FrameResult} out. Before any detection work a frame may be skipped
 * — shed when it is too old, or gated when its camera shows no motion — and then gets a FrameResult with the
 * {@link SkipReason}. Thread-safe.
 */
public final class FrameDetector {

    private final ImageDecoder decoder;
    private final MtcnnDetector detector;
    private final String detectorVersion;
    private final Clock clock;
    private final MotionGates motion;
    private final DetectorSettings settings;
    private final QualityScorer scorer;

    public FrameDetector(ImageDecoder decoder, MtcnnDetector detector, String detectorVersion, Clock clock,
            MotionGates motion, DetectorSettings settings) {
        this.decoder = decoder;
        this.detector = detector;
        this.detectorVersion = detectorVersion;
        this.clock = clock;
        this.motion = motion;
        this.settings = settings;
        this.scorer = new QualityScorer(settings.quality());
    }

    /** Every frame detected, every face emitted: no motion gate, no shedding, an open quality gate. */
    public FrameDetector(ImageDecoder decoder, MtcnnDetector detector, String detectorVersion, Clock clock) {
        this(decoder, detector, detectorVersion, clock,
                new MotionGates(1, camera -> MotionConfig.DEFAULT.withEnabled(false)), DetectorSettings.UNGATED);
    }

    /** The faces of one frame and its result record. */
    public record Detection(List<FaceCrop> faces, FrameResult result, Optional<SkipReason> skipped) {
    }

    /** A frame that may not be shed (no batch context): {@link #detect(Frame, boolean)} with false. */
    public Detection detect(Frame frame) throws RejectedRecordException {
        return detect(frame, false);
    }

    /**
     * @param sheddable whether the frame may be shed when older than the backlog limit (false for the newest
     *                  frame of its camera in a batch, so the present always gets through)
     * @throws RejectedRecordException when the frame lacks ids or its image cannot be decoded
     */
    public Detection detect(Frame frame, boolean sheddable) throws RejectedRecordException {
        requireText(frame.getFrameId(), "frameId");
        requireText(frame.getCameraId(), "cameraId");
        long start = clock.millis();
        long capturedAt = frame.getCapturedAt().toEpochMilli();
        // Shed before decoding: the point is to spend nothing on a frame nobody needs any more.
        if (sheddable && settings.sheds() && start - capturedAt > settings.maxBacklogAge().toMillis()) {
            return skipped(frame, SkipReason.LOAD_SHED, start);
        }
        byte[] bytes = new byte[frame.getImage().remaining()];
        frame.getImage().duplicate().get(bytes);
        try {
            if (gatesOnPreview(frame.getCameraId(), bytes)) {
                Mat preview = decoder.decodeGreyPreview(bytes, settings.previewReduction(),
                        motion.config(frame.getCameraId()).width());
                try {
                    if (!motion.decide(frame.getCameraId(), preview, capturedAt).detect()) {
                        return skipped(frame, SkipReason.NO_MOTION, start);
                    }
                } finally {
                    preview.release();
                }
                try (DecodedImage image = decoder.decode(bytes)) {
                    return detected(frame, image.rgb(), start);
                }
            }
            try (DecodedImage image = decoder.decode(bytes)) {
                MotionDecision decision = motion.decide(frame.getCameraId(), image.rgb(), capturedAt);
                if (!decision.detect()) {
                    return skipped(frame, SkipReason.NO_MOTION, start);
                }
                return detected(frame, image.rgb(), start);
            }
        } catch (ImageDecodeException e) {
            throw new RejectedRecordException("undecodable-image", e.getMessage(), e);
        }
    }

    /** Only JPEG decodes cheaply at a reduced scale, and only a gate that is on needs pixels before detection. */
    private boolean gatesOnPreview(String cameraId, byte[] bytes) {
        return settings.previewReduction() > 1 && motion.config(cameraId).enabled()
                && ImageFormat.sniff(bytes).filter(f -> f == ImageFormat.JPEG).isPresent();
    }

    private Detection detected(Frame frame, Mat rgb, long start) {
        List<DetectedFace> found = detector.detect(rgb);
        List<FaceCrop> faces = new ArrayList<>(found.size());
        int below = 0;
        for (DetectedFace face : found) {
            Optional<FaceCrop> crop = crop(frame, faces.size(), face, rgb);
            if (crop.isPresent()) {
                faces.add(crop.get());
            } else {
                below++;
            }
        }
        FrameResult result = result(frame, start).setFaceCount(faces.size()).setBelowQualityGate(below).build();
        return new Detection(faces, result, Optional.empty());
    }

    private Detection skipped(Frame frame, SkipReason reason, long start) {
        return new Detection(List.of(), result(frame, start).setFaceCount(0).setSkipReason(reason.wire()).build(),
                Optional.of(reason));
    }

    private FrameResult.Builder result(Frame frame, long start) {
        return FrameResult.newBuilder().setFrameId(frame.getFrameId()).setCameraId(frame.getCameraId())
                .setCapturedAt(frame.getCapturedAt()).setLatencyMs(clock.millis() - start)
                .setDetectorVersion(detectorVersion);
    }

    /** The face's record, or empty when it is below the embedding gate. */
    private Optional<FaceCrop> crop(Frame frame, int index, DetectedFace face, Mat rgb) {
        AlignedFace aligned = FaceAnalyzer.align(rgb, face);
        try {
            FaceQuality q = scorer.assess(face.box(), face.landmarks(), face.score(),
                    Sharpness.varianceOfLaplacian(aligned.crop())).quality();
            if (!settings.embeddingGate().passes(q)) {
                return Optional.empty();
            }
            List<Point> landmarks = face.landmarks().points().stream().map(FrameDetector::point).toList();
            return Optional.of(FaceCrop.newBuilder().setFaceId(frame.getFrameId() + "-" + index)
                    .setFrameId(frame.getFrameId()).setCameraId(frame.getCameraId())
                    .setCapturedAt(frame.getCapturedAt()).setFaceIndex(index)
                    .setBox(BoundingBox.newBuilder().setX1((float) face.box().x1()).setY1((float) face.box().y1())
                            .setX2((float) face.box().x2()).setY2((float) face.box().y2()).build())
                    .setLandmarks(landmarks).setDetectionScore((float) face.score())
                    .setAlignedCrop(ByteBuffer.wrap(PngEncoder.rgb(aligned.crop())))
                    .setDetectorVersion(detectorVersion).setQuality(QualityRecords.toAvro(q)).build());
        } finally {
            aligned.crop().release();
        }
    }

    private static Point point(Point2 p) {
        return Point.newBuilder().setX((float) p.x()).setY((float) p.y()).build();
    }

    private static void requireText(String value, String field) throws RejectedRecordException {
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException("missing-field", "frame has no " + field);
        }
    }
}
