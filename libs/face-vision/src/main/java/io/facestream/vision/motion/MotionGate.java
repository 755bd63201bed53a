package io.facestream.vision.motion;

import io.facestream.vision.OpenCvLoader;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * One camera's change detector, cheap enough to run on every frame: grey, shrink to {@link MotionConfig#width()}
 * (INTER_AREA), blur, compare with a running background ({@code accumulateWeighted}), threshold, and count the
 * changed fraction. A keyframe is let through every {@link MotionConfig#keyframeInterval()} of camera time (the
 * frames' capture timestamps, not the detector's clock, so a backlog does not turn into a burst of keyframes).
 *
 * <p>Holds one float background of about {@code width × width·h/w} pixels (77 KB at 160×120) in native memory;
 * {@link #close()} frees it. Not thread-safe: one camera's frames are ordered anyway.
 */
public final class MotionGate implements AutoCloseable {

    private final MotionConfig config;
    private Mat background;
    private int sourceWidth;
    private int sourceHeight;
    private long lastDetectedAt;

    public MotionGate(MotionConfig config) {
        OpenCvLoader.ensureLoaded();
        this.config = config;
    }

    public MotionConfig config() {
        return config;
    }

    /**
     * @param image        the frame, {@code CV_8UC3} (RGB or BGR: the grey weights differ by little) or
     *                     {@code CV_8UC1}, at any scale (a reduced decode is fine); not modified
     * @param capturedAtMs the frame's capture time, epoch milliseconds
     */
    public MotionDecision decide(Mat image, long capturedAtMs) {
        if (!config.enabled()) {
            return MotionDecision.of(MotionDecision.Reason.GATING_OFF, 0);
        }
        if (image.empty() || (image.type() != CvType.CV_8UC3 && image.type() != CvType.CV_8UC1)) {
            throw new IllegalArgumentException("expected a non-empty CV_8UC3 or CV_8UC1 Mat, was " + image);
        }
        Mat small = shrink(image);
        try {
            if (background == null || image.cols() != sourceWidth || image.rows() != sourceHeight) {
                reset(small, image);
                lastDetectedAt = capturedAtMs;
                return MotionDecision.of(MotionDecision.Reason.FIRST_FRAME, 0);
            }
            double changed = changedFraction(small);
            Imgproc.accumulateWeighted(small, background, config.backgroundRate());
            MotionDecision.Reason reason;
            if (changed >= config.minChangedFraction() && changed > 0) {
                reason = MotionDecision.Reason.MOTION;
            } else if (keyframeDue(capturedAtMs)) {
                reason = MotionDecision.Reason.KEYFRAME;
            } else {
                return MotionDecision.of(MotionDecision.Reason.NO_MOTION, changed);
            }
            lastDetectedAt = capturedAtMs;
            return MotionDecision.of(reason, changed);
        } finally {
            small.release();
        }
    }

    /** Due after the interval, or when the camera's clock went backwards (re-anchors on it). */
    private boolean keyframeDue(long capturedAtMs) {
        long since = capturedAtMs - lastDetectedAt;
        return since < 0 || since >= config.keyframeInterval().toMillis();
    }

    private Mat shrink(Mat image) {
        Mat grey = new Mat();
        if (image.channels() == 3) {
            Imgproc.cvtColor(image, grey, Imgproc.COLOR_RGB2GRAY);
        } else {
            image.copyTo(grey);
        }
        Mat small = grey;
        if (grey.cols() > config.width()) {
            small = new Mat();
            int height = Math.max(1, (int) Math.round((double) grey.rows() * config.width() / grey.cols()));
            Imgproc.resize(grey, small, new Size(config.width(), height), 0, 0, Imgproc.INTER_AREA);
            grey.release();
        }
        if (config.blurKernel() > 1) {
            Imgproc.GaussianBlur(small, small, new Size(config.blurKernel(), config.blurKernel()), 0);
        }
        Mat floats = new Mat();
        small.convertTo(floats, CvType.CV_32F);
        small.release();
        return floats;
    }

    private double changedFraction(Mat small) {
        Mat diff = new Mat();
        Mat mask = new Mat();
        try {
            Core.absdiff(small, background, diff);
            Imgproc.threshold(diff, mask, config.pixelThreshold(), 1, Imgproc.THRESH_BINARY);
            return Core.sumElems(mask).val[0] / mask.total();
        } finally {
            diff.release();
            mask.release();
        }
    }

    private void reset(Mat small, Mat image) {
        if (background != null) {
            background.release();
        }
        background = small.clone();
        sourceWidth = image.cols();
        sourceHeight = image.rows();
    }

    @Override
    public void close() {
        if (background != null) {
            background.release();
            background = null;
        }
    }
}
