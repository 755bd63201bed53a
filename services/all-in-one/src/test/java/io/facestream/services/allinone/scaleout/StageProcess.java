package io.facestream.services.allinone.scaleout;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.security.CredentialsFile;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.services.allinone.scaleout.ScaleOutStages.Instance;
import io.facestream.services.allinone.scaleout.ScaleOutStages.Stage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One stage instance in a JVM of its own, so the scale-out test can kill it with SIGKILL: no shutdown hook, no
 * close, no leaving the group. Prints {@code READY} once started, then {@code PROGRESS <n>} ten times a second.
 * Halts when its standard input closes (the test JVM is gone), so it never outlives the test.
 *
 * <p>Arguments: stage ({@link Stage}), instance id, bootstrap servers, the broker's credentials file (the admin
 * login is read from it, so no password is on the command line), state dir.
 */
public final class StageProcess {

    private StageProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: StageProcess DETECTOR|EMBEDDER|MATCHER instance-id bootstrap credentials-file"
                    + " state-dir");
            System.exit(2);
        }
        Thread watchdog = new Thread(StageProcess::haltWhenParentGoes, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        KafkaClientSettings kafka = KafkaClientSettings.of(args[2]).withLogin(EmbeddedKafka.SECURITY_PROTOCOL,
                CredentialsFile.read(Path.of(args[3]), EmbeddedKafka.ADMIN_USER));
        Instance instance = ScaleOutStages.start(Stage.valueOf(args[0]), args[1], kafka, Path.of(args[4]));
        System.out.println("READY");
        System.out.flush();
        while (true) {
            System.out.println("PROGRESS " + instance.progress());
            System.out.flush();
            Thread.sleep(100);
        }
    }

    private static void haltWhenParentGoes() {
        try {
            while (System.in.read() != -1) {
                // the test writes nothing; EOF means it is gone
            }
        } catch (IOException e) {
            // same as EOF
        }
        Runtime.getRuntime().halt(3);
    }
}
