package io.facestream.cli.pipeline;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.services.matcher.enroll.ActiveEnroller;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import io.facestream.services.ingest.camera.ImageFolderSource;
import io.facestream.core.gallery.NewIdentity;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.gallery.GalleryWriter;
import io.facestream.services.matcher.kafka.RecentMatches;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;

/**
 * {@code demo}: {@code run}, plus a gallery and a camera. Enrolls the people of a folder, streams their other
 * photos through a camera agent and prints every match as it arrives.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run everything, enroll a folder of people, stream photos through a camera, print matches.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--enroll", paramLabel = "DIR",
            description = "<identity>/<images> folder; the first --per-identity images enroll, the rest are streamed."
                    + " Default: faces-dev's dlib_johns when ../shared is there, else faces cut from the demo photos.")
    Path enrollDir;

    @Option(names = "--per-identity", defaultValue = "2", description = "Images enrolled per identity.")
    int perIdentity;

    @Option(names = "--fps", defaultValue = "4", description = "Camera frames per second (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--exit", description = "Stop once the stream has been matched (default: keep serving).")
    boolean exit;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--data-dir", defaultValue = "${env:FACESTREAM_DATA_DIR:-.cache/demo-run}",
            description = "Broker logs and state (default: ${DEFAULT-VALUE}; its kafka/, matcher-state/ and"
                    + " gallery-index/ are wiped at start).")
    Path dataDir;

    @Option(names = "--model-dir", defaultValue = "${env:FACESTREAM_MODEL_DIR:-models}")
    Path modelDir;

    @Option(names = "--shared-dir", defaultValue = "${env:FACESTREAM_SHARED_DIR:-../shared}", hidden = true)
    Path sharedDir;

    @Option(names = "--photos-dir", defaultValue = "${env:FACESTREAM_DEMO_DIR:-.cache/demo-photos}", hidden = true)
    Path photosDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        // A demo starts from an empty gallery; only what the pipeline itself keeps there is removed.
        Directories.deleteRecursively(dataDir.resolve("kafka"));
        Directories.deleteRecursively(dataDir.resolve("matcher-state"));
        Directories.deleteRecursively(dataDir.resolve("gallery-index"));
        try (EmbeddedPipeline pipeline = RunCommand.start(dataDir, modelDir, port, kafkaPort)) {
            Gallery gallery = enroll(pipeline);
            System.err.printf("Enrolled %d people; streaming %d photos from camera 'demo-cam' at %.1f fps ...%n",
                    gallery.people(), gallery.probes().size(), fps);
            AtomicInteger known = new AtomicInteger();
            AtomicInteger total = new AtomicInteger();
            AtomicLong lastMatch = new AtomicLong(System.nanoTime());
            Disposable printer = pipeline.context().getBean(RecentMatches.class).live().subscribe(m -> {
                if (total.incrementAndGet() == 1) {
                    System.err.printf(java.util.Locale.ROOT, "demo: first match %.1f s after start%n",
                            (System.nanoTime() - started) / 1e9);
                }
                known.addAndGet(m.getDecision() == Decision.KNOWN ? 1 : 0);
                lastMatch.set(System.nanoTime());
                out.println(describe(m));
                out.flush();
            });
            try (FrameSource frames = new ImageFolderSource(gallery.probes());
                    CameraAgent camera = new CameraAgent("demo-cam", pipeline.kafka(ServicePrincipal.CAMERA), new Topics(4),
                            Clock.systemUTC())) {
                camera.stream(frames, fps, id -> { });
            }
            // Matches trail the camera by the pipeline's latency; wait until they stop arriving.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() - lastMatch.get() < Duration.ofSeconds(5).toNanos() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.err.printf("demo: %d photos streamed, %d faces matched, %d KNOWN, %d UNKNOWN%n",
                    gallery.probes().size(), total.get(), known.get(), total.get() - known.get());
            if (!exit) {
                System.err.println("Still serving; Ctrl-C to stop.");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            printer.dispose();
            return total.get() > 0 ? 0 : 1;
        }
    }

    private record Gallery(int people, List<Path> probes) {
    }

    private Gallery enroll(EmbeddedPipeline pipeline) throws Exception {
        Enroller enroller = pipeline.context().getBean(ActiveEnroller.class).current();
        GalleryWriter writer = pipeline.context().getBean(GalleryWriter.class);
        Path folder = enrollDir != null ? enrollDir : sharedDir.resolve("faces-dev/dlib_johns");
        if (enrollDir != null || Files.isDirectory(folder)) {
            return enrollFolder(folder, enroller, writer);
        }
        return enrollDemoPhotoFaces(pipeline, enroller, writer);
    }

    private Gallery enrollFolder(Path folder, Enroller enroller, GalleryWriter writer) throws Exception {
        List<Path> probes = new ArrayList<>();
        int people = 0;
        try (Stream<Path> dirs = Files.list(folder)) {
            for (Path person : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> photos;
                try (Stream<Path> s = Files.list(person)) {
                    photos = s.filter(ImageFolderSource::isImage).sorted().toList();
                }
                String id = newIdentity(writer, person.getFileName().toString());
                int enrolled = 0;
                for (Path photo : photos) {
                    if (enrolled < perIdentity && enrollOne(enroller, writer, id, Files.readAllBytes(photo), photo)) {
                        enrolled++;
                    } else {
                        probes.add(photo);
                    }
                }
                people++;
            }
        }
        return new Gallery(people, probes);
    }

    /** Fresh machine: every face of the face-api demo photos becomes a person, enrolled from its own crop. */
    private Gallery enrollDemoPhotoFaces(EmbeddedPipeline pipeline, Enroller enroller, GalleryWriter writer)
            throws Exception {
        FaceModels models = pipeline.context().getBean(FaceModels.class);
        MtcnnDetector detector = new MtcnnDetector(models.mtcnn(), MtcnnConfig.DEFAULT.withMinFaceSize(60));
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        List<Path> photos;
        try (Stream<Path> s = Files.list(photosDir)) {
            photos = s.filter(ImageFolderSource::isImage).sorted().toList();
        }
        int people = 0;
        for (Path photo : photos) {
            try (DecodedImage image = decoder.read(photo)) {
                List<DetectedFace> faces = detector.detect(image.rgb());
                for (int i = 0; i < faces.size(); i++) {
                    String name = photo.getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-person-" + (i + 1);
                    String id = newIdentity(writer, name);
                    people += enrollOne(enroller, writer, id, faceCut(image.rgb(), faces.get(i).box()), photo) ? 1 : 0;
                }
            }
        }
        return new Gallery(people, photos);
    }

    private static String newIdentity(GalleryWriter writer, String name) {
        Identity identity = GalleryRecords.identity(NewIdentity.named(name), Instant.now());
        writer.putIdentity(identity);
        return identity.getIdentityId();
    }

    private static boolean enrollOne(Enroller enroller, GalleryWriter writer, String id, byte[] image, Path origin) {
        try {
            enroller.enroll(id, image).samples().forEach(writer::putSample);
            return true;
        } catch (RejectedRecordException e) {
            System.err.println("not enrolled " + origin + ": " + e.getMessage());
            return false;
        }
    }

    /** The face with as much margin again around it, as a JPEG: a portrait cut from a group photo. */
    private static byte[] faceCut(Mat rgb, BoundingBox box) {
        double side = Math.max(box.width(), box.height()) * 2;
        double cx = (box.x1() + box.x2()) / 2, cy = (box.y1() + box.y2()) / 2;
        int x1 = (int) Math.max(0, cx - side / 2), y1 = (int) Math.max(0, cy - side / 2);
        int x2 = (int) Math.min(rgb.cols(), cx + side / 2), y2 = (int) Math.min(rgb.rows(), cy + side / 2);
        Mat bgr = new Mat();
        MatOfByte jpeg = new MatOfByte();
        try {
            Imgproc.cvtColor(rgb.submat(new Rect(x1, y1, x2 - x1, y2 - y1)), bgr, Imgproc.COLOR_RGB2BGR);
            Imgcodecs.imencode(".jpg", bgr, jpeg);
            return jpeg.toArray();
        } finally {
            bgr.release();
            jpeg.release();
        }
    }

    private static String describe(Match m) {
        String who = m.getCandidates().isEmpty() ? "-" : m.getCandidates().get(0).getName();
        double score = m.getCandidates().isEmpty() ? Double.NaN : m.getCandidates().get(0).getScore();
        return String.format(Locale.ROOT, "%s  camera=%s  %-7s  %s  cosine=%.3f  (face %s)", m.getCapturedAt(),
                m.getCameraId(), m.getDecision(), m.getDecision() == Decision.KNOWN ? who : "best guess " + who, score,
                m.getFaceId());
    }

}
