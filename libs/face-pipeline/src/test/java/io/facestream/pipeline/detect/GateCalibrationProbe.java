package io.facestream.pipeline.detect;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityScorer;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.motion.MotionConfig;
import io.facestream.vision.motion.MotionGate;
import io.facestream.vision.quality.Sharpness;
import io.facestream.vision.tensor.ImageTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Not a test: prints the quality distribution of faces-dev faces (to calibrate the quality gates) and the cost
 * of the motion gate against decode + MTCNN (README numbers). Asserts nothing; runs only with
 * {@code FACESTREAM_PROBE=true} in the environment.
 */
@EnabledIfEnvironmentVariable(named = "FACESTREAM_PROBE", matches = "true")
class GateCalibrationProbe {

    private static final QualityScorer SCORER = new QualityScorer(QualityConfig.DEFAULT);

    @Test
    void qualityOfFacesDevFaces() throws Exception {
        Path root = SharedData.require("faces-dev");
        MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT);
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        for (String set : List.of("orl_att", "dlib_johns", "bbt_faceapi", "human_samples", "face_recognition",
                "groundtruth_dlib")) {
            List<double[]> rows = new ArrayList<>();
            List<Path> files;
            try (Stream<Path> s = Files.walk(root.resolve(set))) {
                files = s.filter(p -> p.toString().matches(".*\\.(jpe?g|png)")).sorted().toList();
            }
            for (Path f : files) {
                try (DecodedImage img = decoder.read(f)) {
                    for (double[] q : faces(detector, img.rgb())) {
                        rows.add(q);
                    }
                }
            }
            print(set, files.size(), rows);
            String dump = System.getenv("FACESTREAM_PROBE_DUMP");
            if (dump != null) {
                StringBuilder tsv = new StringBuilder();
                for (double[] r : rows) {
                    tsv.append(set);
                    for (double v : r) {
                        tsv.append('\t').append(v);
                    }
                    tsv.append('\n');
                }
                Files.writeString(Path.of(dump), tsv, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        // A face shrunk until its box is about 22×28 px: what the gates must refuse.
        try (DecodedImage img = decoder.read(root.resolve("human_samples/person_vlado/person-vlado.jpg"))) {
            MtcnnDetector small = Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(12));
            for (int width : new int[] {160, 120, 96, 80}) {
                Mat scaled = ImageTensors.resize(img.rgb(), width, (int) Math.round(img.height() * (double) width
                        / img.width()));
                for (double[] q : faces(small, scaled)) {
                    System.out.printf(Locale.ROOT, "shrunk to %d px: %s%n", width, row(q));
                }
                scaled.release();
            }
        }
    }

    @Test
    void facesOfHumanSamplesAsTheDetectorServiceSeesThem() throws Exception {
        Path root = SharedData.require("faces-dev/human_samples");
        MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40));
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        for (Path f : files) {
            try (DecodedImage img = decoder.read(f)) {
                List<DetectedFace> found = detector.detect(img.rgb());
                for (DetectedFace face : found) {
                    AlignedFace a = FaceAnalyzer.align(img.rgb(), face);
                    double sharp = Sharpness.varianceOfLaplacian(a.crop());
                    a.crop().release();
                    QualityScorer.Assessment q = SCORER.assess(face.box(), face.landmarks(), face.score(), sharp);
                    System.out.printf(Locale.ROOT, "%s: %s%n", root.relativize(f), q.quality());
                }
            }
        }
    }

    /** Per face: min side, width, height, sharpness, frontality, score, detection score, yaw, roll, pitch. */
    private static List<double[]> faces(MtcnnDetector detector, Mat rgb) {
        List<DetectedFace> found = detector.detect(rgb);
        double dx = 0;
        Mat source = rgb;
        if (found.isEmpty()) {
            source = ImageTensors.padReplicate(rgb, 0.25);
            found = detector.detect(source);
        }
        List<double[]> out = new ArrayList<>();
        for (DetectedFace face : found) {
            AlignedFace a = FaceAnalyzer.align(source, face);
            double sharp = Sharpness.varianceOfLaplacian(a.crop());
            a.crop().release();
            QualityScorer.Assessment q = SCORER.assess(face.box(), face.landmarks(), face.score(), sharp);
            var pose = q.parts().pose();
            out.add(new double[] {q.quality().minSidePx(), q.quality().widthPx(), q.quality().heightPx(), sharp,
                    q.quality().frontality(), q.quality().score(), face.score(),
                    pose.map(p -> p.yawOffset()).orElse(Double.NaN), pose.map(p -> p.rollDegrees()).orElse(Double.NaN),
                    pose.map(p -> p.pitchRatio()).orElse(Double.NaN)});
        }
        if (source != rgb) {
            source.release();
        }
        return out;
    }

    private static String row(double[] q) {
        return String.format(Locale.ROOT, "%dx%d px, sharpness %.1f, frontality %.2f, score %.2f, det %.3f,"
                + " yaw %.2f roll %.1f pitch %.2f", (int) q[1], (int) q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]);
    }

    private static void print(String set, int photos, List<double[]> rows) {
        System.out.printf(Locale.ROOT, "%-17s photos %4d faces %4d%n", set, photos, rows.size());
        String[] names = {"min side", "", "", "sharpness", "frontality", "score"};
        for (int c : new int[] {0, 3, 4, 5}) {
            double[] v = rows.stream().mapToDouble(r -> r[c]).sorted().toArray();
            if (v.length == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "    %-10s min %8.2f p5 %8.2f p25 %8.2f p50 %8.2f p95 %8.2f%n", names[c],
                    v[0], pct(v, 5), pct(v, 25), pct(v, 50), pct(v, 95));
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
    }

    @Test
    void costOfTheGate() throws Exception {
        Path photo = SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        MtcnnDetector detector = Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40));
        for (int width : new int[] {640, 1280, 1920}) {
            byte[] jpeg = jpeg(photo, width);
            int n = 40;
            long[] full = new long[n];
            long[] r4 = new long[n];
            long[] r8 = new long[n];
            long[] gateFull = new long[n];
            long[] gate4 = new long[n];
            long[] mtcnn = new long[n / 4];
            try (MotionGate g1 = new MotionGate(MotionConfig.DEFAULT); MotionGate g4 = new MotionGate(MotionConfig.DEFAULT)) {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    DecodedImage img = decoder.decode(jpeg);
                    long t1 = System.nanoTime();
                    g1.decide(img.rgb(), i * 200L);
                    long t2 = System.nanoTime();
                    Mat p4 = decoder.decodeGreyPreview(jpeg, 4, 1);
                    long t3 = System.nanoTime();
                    g4.decide(p4, i * 200L);
                    long t4 = System.nanoTime();
                    Mat p8 = decoder.decodeGreyPreview(jpeg, 8, 1);
                    long t5 = System.nanoTime();
                    if (i < n / 4) {
                        detector.detect(img.rgb());
                        mtcnn[i] = System.nanoTime() - t5;
                    }
                    full[i] = t1 - t0;
                    gateFull[i] = t2 - t1;
                    r4[i] = t3 - t2;
                    gate4[i] = t4 - t3;
                    r8[i] = t5 - t4;
                    img.close();
                    p4.release();
                    p8.release();
                }
            }
            System.out.printf(Locale.ROOT, "%d px JPEG (%d bytes), medians of %d after 5 warm-up: full decode %.2f ms,"
                    + " gate on full %.2f ms, reduced/4 decode %.2f ms, gate on /4 %.2f ms, reduced/8 decode %.2f ms,"
                    + " MTCNN %.1f ms%n", width, jpeg.length, n - 5, med(full), med(gateFull), med(r4), med(gate4),
                    med(r8), med(mtcnn));
        }
    }

    private static double med(long[] ns) {
        long[] v = Arrays.copyOfRange(ns, Math.min(5, ns.length - 1), ns.length);
        Arrays.sort(v);
        return v[v.length / 2] / 1e6;
    }

    private static byte[] jpeg(Path photo, int width) {
        Mat src = Imgcodecs.imread(photo.toString(), Imgcodecs.IMREAD_COLOR);
        Mat scaled = new Mat();
        MatOfByte out = new MatOfByte();
        Imgproc.resize(src, scaled, new Size(width, Math.round(src.rows() * (double) width / src.cols())), 0, 0,
                width < src.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        Imgcodecs.imencode(".jpg", scaled, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        byte[] bytes = out.toArray();
        src.release();
        scaled.release();
        out.release();
        return bytes;
    }

}
