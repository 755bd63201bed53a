package io.facestream.pipeline.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.GallerySample;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** The enrollment gate on real photos: portraits are enrolled, a face shrunk to about 22×28 px is refused. */
class EnrollerTest {

    /** The defaults of PipelineConfig (enrollment-min-*). */
    private static final QualityGate GATE = new QualityGate(48, 40, 0.2, 0.4);

    private static Enroller enroller;

    @BeforeAll
    static void load() {
        OpenCvLoader.ensureLoaded();
        enroller = new Enroller(new ImageDecoder(DecodeLimits.defaults()), Detection.analyzer(MtcnnConfig.DEFAULT),
                "v-test", Clock.systemUTC(), QualityConfig.DEFAULT, GATE);
    }

    @Test
    void portraitsAndTheDemoPhotosPassTheGate() throws Exception {
        Path vlado = SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg");
        GallerySample sample = enroller.enroll("vlado", Files.readAllBytes(vlado));
        assertEquals("vlado", sample.getIdentityId());
        List<Path> demo;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("facestream.demo.dir")))) {
            demo = files.filter(p -> p.toString().matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        for (Path p : demo) {
            enroller.enroll("demo", Files.readAllBytes(p)); // the all-in-one tests enroll these
        }
    }

    @Test
    void aTinyFaceIsRefusedWithTheReason() throws Exception {
        Path vlado = SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg");
        // 1024 px wide with a face of about 150 px: at 160 px wide the face is about 23×30 px.
        RejectedRecordException e = assertThrows(RejectedRecordException.class,
                () -> enroller.enroll("vlado", shrunk(vlado, 160)));
        assertEquals(Enroller.LOW_QUALITY, e.kind());
        assertTrue(e.getMessage().matches("face too small: 2\\dx[23]\\d px, minimum 48"), e.getMessage());
    }

    private static byte[] shrunk(Path photo, int width) {
        Mat src = Imgcodecs.imread(photo.toString());
        Mat small = new Mat();
        MatOfByte png = new MatOfByte();
        Imgproc.resize(src, small, new Size(width, Math.round(src.rows() * (double) width / src.cols())), 0, 0,
                Imgproc.INTER_AREA);
        Imgcodecs.imencode(".png", small, png);
        byte[] bytes = png.toArray();
        src.release();
        small.release();
        png.release();
        return bytes;
    }
}
