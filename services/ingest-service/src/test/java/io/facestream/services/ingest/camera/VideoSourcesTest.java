package io.facestream.services.ingest.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The camera agent reads the short MP4 clips of faces-dev through FFmpeg, frame by frame, as JPEG. */
class VideoSourcesTest {

    @Test
    void anMp4ClipYieldsEveryFrameAsAJpeg() throws Exception {
        Path clip = SharedData.require("faces-dev/video/face_recognition/short_hamilton_clip.mp4");
        int frames = 0;
        BufferedImage first = null;
        try (FrameSource source = CameraAgent.open(clip.toString())) {
            assertTrue(source instanceof FfmpegVideoSource, "videos are read through FFmpeg");
            for (Optional<FrameSource.EncodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                assertEquals("image/jpeg", f.get().contentType());
                if (first == null) {
                    first = ImageIO.read(new ByteArrayInputStream(f.get().bytes()));
                }
                frames++;
            }
        }
        System.out.println("frames " + frames + " " + first.getWidth() + "x" + first.getHeight());
        assertTrue(frames > 10, frames + " frames");
        assertTrue(first.getWidth() > 100 && first.getHeight() > 100, first.getWidth() + "x" + first.getHeight());
    }

    @Test
    void aMissingOrUnreadableSourceIsAClearError(@TempDir Path dir) throws Exception {
        assertThrows(IOException.class, () -> CameraAgent.open(dir.resolve("nope.mp4").toString()));
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.mp4"), "not a video");
        IOException e = assertThrows(IOException.class, () -> CameraAgent.open(text.toString()));
        assertTrue(e.getMessage().contains("notes.mp4"), e.getMessage());
    }
}
