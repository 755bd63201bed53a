package io.facestream.cli.pipeline;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code camera}: a camera agent publishing a folder, image or video to a running FaceStream. */
@Command(name = "camera", mixinStandardHelpOptions = true,
        description = "Publish the frames of an image folder, an image, a video file or a stream to the frames topic.")
public final class CameraCommand implements Callable<Integer> {

    @Option(names = "--camera", required = true, description = "Camera id (the partition key).")
    String cameraId;

    @Option(names = "--source", required = true, paramLabel = "FILE|DIR|URL",
            description = "Image folder (recursive), image file, video file (MP4, AVI, ...) or stream URL (RTSP, HTTP).")
    String source;

    @Option(names = "--fps", defaultValue = "5", description = "Frames per second (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:FACESTREAM_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (default: ${DEFAULT-VALUE}, the broker of './facestream run').")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "4", hidden = true)
    int partitions;

    @Mixin
    KafkaLoginOptions login;

    @Override
    public Integer call() throws Exception {
        Optional<String> badCamera = InputLimits.cameraIdProblem(cameraId);
        if (badCamera.isPresent()) {
            System.err.println("ERROR --camera: " + badCamera.get());
            return 2;
        }
        if (!(fps > 0)) {
            System.err.println("ERROR --fps must be positive");
            return 2;
        }
        KafkaClientSettings kafka;
        try {
            kafka = login.settings(bootstrapServers);
        } catch (java.io.IOException | IllegalArgumentException e) {
            System.err.println("ERROR Kafka login: " + e.getMessage());
            return 2;
        }
        try (FrameSource frames = CameraAgent.open(source);
                CameraAgent agent = new CameraAgent(cameraId, kafka,
                        new Topics(partitions), Clock.systemUTC())) {
            long n = agent.stream(frames, fps, id -> { });
            System.err.printf("camera %s: published %d frames%n", cameraId, n);
            return n > 0 ? 0 : 1;
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("ERROR " + source + ": " + e.getMessage());
            return 1;
        }
    }
}
