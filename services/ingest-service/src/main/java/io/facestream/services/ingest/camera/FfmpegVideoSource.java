package io.facestream.services.ingest.camera;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Video files (MP4/H.264 and whatever else FFmpeg reads) and network streams (RTSP, HTTP) through FFmpeg's
 * own libraries, shipped in jars: nothing is installed on the machine. Each picture is re-encoded as JPEG.
 */
public final class FfmpegVideoSource implements FrameSource {

    private final FFmpegFrameGrabber grabber;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final String origin;
    private long index;

    public FfmpegVideoSource(String fileOrUrl) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        this.origin = fileOrUrl;
        this.grabber = new FFmpegFrameGrabber(fileOrUrl);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("FFmpeg cannot open '" + fileOrUrl + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<EncodedFrame> next() throws IOException {
        try {
            for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                BufferedImage image = converter.convert(f);
                if (image == null) {
                    continue;
                }
                ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
                ImageIO.write(image, "jpg", jpeg);
                return Optional.of(new EncodedFrame(jpeg.toByteArray(), "image/jpeg", origin + "#" + index++));
            }
            return Optional.empty();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("FFmpeg failed reading '" + origin + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            // closing a broken stream: nothing left to release
        }
        converter.close();
    }
}
