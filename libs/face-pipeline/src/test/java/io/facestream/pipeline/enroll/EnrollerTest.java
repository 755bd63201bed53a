package io.facestream.pipeline.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.AnalyzedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.degrade.LowResolution;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.schema.GallerySample;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.quality.Sharpness;
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

/**
 * The enrollment gate on real photos: portraits are enrolled, a face shrunk to about 22×28 px is refused; and the
 * low-resolution sample each photo adds: a small camera face of the person matches it better than the sharp one.
 */
class EnrollerTest {

    /** The defaults of PipelineConfig (enrollment-min-*). */
    private static final QualityGate GATE = new QualityGate(48, 40, 0.2, 0.4);

    /** The default of PipelineConfig (enrollment-low-resolution-size). */
    private static final int LOW_RESOLUTION_SIZE = 20;

    private static FaceAnalyzer analyzer;
    private static Enroller enroller;

    @BeforeAll
    static void load() {
        OpenCvLoader.ensureLoaded();
        analyzer = Detection.analyzer(MtcnnConfig.DEFAULT);
        enroller = new Enroller(new ImageDecoder(DecodeLimits.defaults()), analyzer, "v-test", Clock.systemUTC(),
                QualityConfig.DEFAULT, GATE, LOW_RESOLUTION_SIZE);
    }

    @Test
    void portraitsAndTheDemoPhotosPassTheGate() throws Exception {
        Path vlado = SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg");
        GallerySample sample = enroller.enroll("vlado", Files.readAllBytes(vlado)).sample();
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

    @Test
    void aSmallCameraFaceOfThePersonMatchesTheLowResolutionSampleBetterThanTheSharpOne() throws Exception {
        Path dir = SharedData.require("faces-dev/human_samples/person_vlado");
        Enrollment enrollment = enroller.enroll("vlado", Files.readAllBytes(dir.resolve("person-vlado.jpg")));
        GallerySample sharp = enrollment.sample();
        GallerySample low = enrollment.lowResolution().orElseThrow();
        assertEquals(List.of(sharp, low), enrollment.samples());
        assertEquals("vlado", low.getIdentityId());
        assertEquals("v-test", low.getModelVersion());
        assertNotEquals(sharp.getSampleId(), low.getSampleId());
        assertEquals(1.0, norm(low), 1e-4);
        // Its crop is the degraded face (so a re-embedding after a model rollout reproduces it): as sharp as a
        // 20 px face scaled to 112 px, far below the photo's own crop.
        assertTrue(sharpness(low) < sharpness(sharp) / 4, sharpness(low) + " vs " + sharpness(sharp));

        // Another photo of him, seen as a 20 px camera face, and a stranger's face seen the same way.
        float[] him = smallFace(dir.resolve("person-vlado1.jpg"));
        float[] stranger = smallFace(SharedData.require("faces-dev/dlib_johns/John_Salley/000179_02159509.jpg"));
        double himSharp = cosine(him, sharp);
        double himLow = cosine(him, low);
        assertTrue(himLow > himSharp + 0.05, "low " + himLow + " vs sharp " + himSharp);
        assertTrue(Math.max(cosine(stranger, sharp), cosine(stranger, low)) < 0.45,
                "stranger " + cosine(stranger, sharp) + " / " + cosine(stranger, low));
    }

    @Test
    void sizeZeroKeepsOnlyTheSharpSampleAndSizesOutsideTheCropAreRefused() throws Exception {
        Enroller sharpOnly = new Enroller(new ImageDecoder(DecodeLimits.defaults()), analyzer, "v-test",
                Clock.systemUTC(), QualityConfig.DEFAULT, GATE, 0);
        Path vlado = SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg");
        Enrollment enrollment = sharpOnly.enroll("vlado", Files.readAllBytes(vlado));
        assertTrue(enrollment.lowResolution().isEmpty());
        assertEquals(List.of(enrollment.sample()), enrollment.samples());
        for (int size : new int[] {-1, 113}) {
            assertThrows(IllegalArgumentException.class, () -> new Enroller(new ImageDecoder(DecodeLimits.defaults()),
                    analyzer, "v-test", Clock.systemUTC(), QualityConfig.DEFAULT, GATE, size));
        }
    }

    /** The photo's face as a low-resolution camera would give it to the embedder. */
    private static float[] smallFace(Path photo) throws Exception {
        try (DecodedImage image = new ImageDecoder(DecodeLimits.defaults()).decode(Files.readAllBytes(photo))) {
            AnalyzedFace face = analyzer.largestFace(image.rgb(), PairEvaluation.RETRY_PADDING).face().orElseThrow();
            AlignedFace aligned = FaceAnalyzer.align(image.rgb(), face.face());
            Mat small = new LowResolution(LOW_RESOLUTION_SIZE).apply(aligned.crop());
            try {
                return analyzer.embedder().embed(small).toArray();
            } finally {
                small.release();
                aligned.crop().release();
            }
        }
    }

    private static double cosine(float[] a, GallerySample b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b.getVector().get(i);
        }
        return dot;
    }

    private static double norm(GallerySample s) {
        double sum = 0;
        for (float v : s.getVector()) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    private static double sharpness(GallerySample s) throws Exception {
        byte[] png = new byte[s.getAlignedCrop().remaining()];
        s.getAlignedCrop().duplicate().get(png);
        try (DecodedImage crop = new ImageDecoder(DecodeLimits.defaults()).decode(png)) {
            assertEquals(112, crop.width());
            assertEquals(112, crop.height());
            return Sharpness.varianceOfLaplacian(crop.rgb());
        }
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
