package io.facestream.services.ingest.camera;

import io.facestream.vision.OpenCvLoader;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoCapture;

/**
 * A video file or stream through OpenCV, each frame re-encoded as JPEG (quality 90). The OpenCV build on
 * Maven Central has no FFmpeg: it opens MJPEG AVI files and V4L devices, not H.264/MP4 or RTSP; those are
 * refused at open with a message saying so.
 */
public final class VideoSource implements FrameSource {

    private final VideoCapture capture;
    private final String origin;
    private final MatOfInt jpegQuality = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
    private long index;

    public VideoSource(String fileOrUrl) {
        OpenCvLoader.ensureLoaded();
        this.origin = fileOrUrl;
        this.capture = new VideoCapture(fileOrUrl);
        if (!capture.isOpened()) {
            throw new IllegalArgumentException("cannot open video '" + fileOrUrl + "': this OpenCV build reads MJPEG"
                    + " AVI files and V4L devices only (no FFmpeg); convert with"
                    + " 'ffmpeg -i in.mp4 -c:v mjpeg -q:v 3 out.avi', or extract frames into a folder");
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
