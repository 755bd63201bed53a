package io.facestream.pipeline.detect;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Point2;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Point;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * The detector stage: a frame in, one {@link FaceCrop} per face (with its aligned 112×112 crop as PNG) and
 * one {@link FrameResult} out. Thread-safe.
 */
public final class FrameDetector {

    private final ImageDecoder decoder;
    private final MtcnnDetector detector;
    private final String detectorVersion;
    private final Clock clock;

    public FrameDetector(ImageDecoder decoder, MtcnnDetector detector, String detectorVersion, Clock clock) {
        this.decoder = decoder;
        this.detector = detector;
        this.detectorVersion = detectorVersion;
        this.clock = clock;
    }

    /** The faces of one frame and its result record. */
    public record Detection(List<FaceCrop> faces, FrameResult result) {
    }

    /**
     * @throws RejectedRecordException when the frame lacks ids or its image cannot be decoded
     */
    public Detection detect(Frame frame) throws RejectedRecordException {
        requireText(frame.getFrameId(), "frameId");
        requireText(frame.getCameraId(), "cameraId");
        long start = clock.millis();
        byte[] bytes = new byte[frame.getImage().remaining()];
        frame.getImage().duplicate().get(bytes);
        try (DecodedImage image = decoder.decode(bytes)) {
            List<DetectedFace> found = detector.detect(image.rgb());
            List<FaceCrop> faces = new ArrayList<>(found.size());
            for (int i = 0; i < found.size(); i++) {
                faces.add(crop(frame, i, found.get(i), image.rgb()));
            }
            FrameResult result = FrameResult.newBuilder().setFrameId(frame.getFrameId())
                    .setCameraId(frame.getCameraId()).setCapturedAt(frame.getCapturedAt())
                    .setFaceCount(faces.size()).setLatencyMs(clock.millis() - start)
                    .setDetectorVersion(detectorVersion).build();
            return new Detection(faces, result);
        } catch (ImageDecodeException e) {
            throw new RejectedRecordException("undecodable-image", e.getMessage(), e);
        }
    }

    private FaceCrop crop(Frame frame, int index, DetectedFace face, Mat rgb) {
        AlignedFace aligned = FaceAnalyzer.align(rgb, face);
        try {
            List<Point> landmarks = face.landmarks().points().stream().map(FrameDetector::point).toList();
            return FaceCrop.newBuilder().setFaceId(frame.getFrameId() + "-" + index).setFrameId(frame.getFrameId())
                    .setCameraId(frame.getCameraId()).setCapturedAt(frame.getCapturedAt()).setFaceIndex(index)
                    .setBox(BoundingBox.newBuilder().setX1((float) face.box().x1()).setY1((float) face.box().y1())
                            .setX2((float) face.box().x2()).setY2((float) face.box().y2()).build())
                    .setLandmarks(landmarks).setDetectionScore((float) face.score())
                    .setAlignedCrop(ByteBuffer.wrap(PngEncoder.rgb(aligned.crop()))).setDetectorVersion(detectorVersion).build();
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
