package io.facestream.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.cli.ModelOptions;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.draw.Annotator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code detect}: one JSON line per image with boxes, scores and landmarks. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Detect faces and their 5 landmarks; prints one JSON object per image.")
public final class DetectCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Option(names = "--annotate", paramLabel = "DIR", description = "Also write <name>.png with boxes and landmarks drawn.")
    Path annotateDir;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG, PNG, BMP or WebP files.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    /** JSON shape of one image's result. */
    record ImageResult(String image, int width, int height, List<FaceResult> faces) {
    }

    record FaceResult(double[] box, double score, double[][] landmarks) {

        static FaceResult of(DetectedFace f) {
            double[][] lm = new double[5][];
            for (int i = 0; i < 5; i++) {
                lm[i] = new double[] {round(f.landmarks().get(i).x()), round(f.landmarks().get(i).y())};
            }
            return new FaceResult(new double[] {round(f.box().x1()), round(f.box().y1()), round(f.box().x2()),
                round(f.box().y2())}, Math.round(f.score() * 1e6) / 1e6, lm);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper json = new ObjectMapper();
        ImageDecoder decoder = options.decoder();
        MtcnnDetector detector = null;
        if (annotateDir != null) {
            Files.createDirectories(annotateDir);
        }
        int processed = 0;
        for (Path image : images) {
            try (DecodedImage decoded = decoder.read(image)) {
                if (detector == null) {
                    detector = options.detector();
                }
                List<DetectedFace> faces = detector.detect(decoded.rgb());
                out.println(json.writeValueAsString(new ImageResult(image.toString(), decoded.width(), decoded.height(),
                        faces.stream().map(FaceResult::of).toList())));
                out.flush();
                if (annotateDir != null) {
                    writeAnnotated(decoded.rgb(), faces, annotateDir.resolve(stem(image) + ".png"));
                }
                processed++;
            } catch (ImageDecodeException e) {
                err.println("ERROR " + image + ": " + e.getMessage());
                err.flush();
            }
        }
        return processed > 0 ? 0 : 1;
    }

    private static void writeAnnotated(Mat rgb, List<DetectedFace> faces, Path file) throws IOException {
        Mat drawn = Annotator.annotate(rgb, faces);
        Mat bgr = new Mat();
        try {
            Imgproc.cvtColor(drawn, bgr, Imgproc.COLOR_RGB2BGR);
            if (!Imgcodecs.imwrite(file.toString(), bgr)) {
                throw new IOException("cannot write " + file);
            }
        } finally {
            drawn.release();
            bgr.release();
        }
    }

    static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
