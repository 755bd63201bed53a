package io.facestream.services.ingest.camera;

import io.facestream.vision.OpenCvLoader;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoCapture;

/**
 * A video file or device through OpenCV, each frame re-encoded as JPEG (quality 90). The OpenCV build on
 * Maven Central has no FFmpeg: it opens MJPEG AVI files and V4L devices, not H.264/MP4 or RTSP; those are
 * refused at open and {@link CameraAgent#open} turns to {@link FfmpegVideoSource}.
 */
public final class VideoSource implements FrameSource {

    static {
        OpenCvLoader.ensureLoaded(); // before any field below touches a native Mat
    }

    private final VideoCapture capture;
    private final String origin;
    private final MatOfInt jpegQuality = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
    private long index;

    public VideoSource(String fileOrUrl) {
        this.origin = fileOrUrl;
        this.capture = new VideoCapture(fileOrUrl);
        if (!capture.isOpened()) {
            throw new IllegalArgumentException("OpenCV cannot open video '" + fileOrUrl + "' (no FFmpeg in this build)");
        }
    }

    @Override
    public Optional<EncodedFrame> next() {
        Mat bgr = new Mat();
        MatOfByte jpeg = new MatOfByte();
        try {
            if (!capture.read(bgr) || bgr.empty()) {
                return Optional.empty();
            }
            Imgcodecs.imencode(".jpg", bgr, jpeg, jpegQuality);
            return Optional.of(new EncodedFrame(jpeg.toArray(), "image/jpeg", origin + "#" + index++));
        } finally {
            bgr.release();
            jpeg.release();
        }
    }

    @Override
    public void close() {
        capture.release();
    }
}
