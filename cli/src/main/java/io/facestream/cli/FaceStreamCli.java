package io.facestream.cli;

import io.facestream.cli.command.BenchCommand;
import io.facestream.cli.command.DetectCommand;
import io.facestream.cli.command.EvalCommand;
import io.facestream.cli.command.TrainCommand;
import io.facestream.cli.command.TrainExperimentCommand;
import io.facestream.cli.command.VerifyCommand;
import io.facestream.cli.pipeline.CameraCommand;
import io.facestream.cli.pipeline.DemoCommand;
import io.facestream.cli.pipeline.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./facestream}. */
@Command(name = "facestream", mixinStandardHelpOptions = true, version = "FaceStream 0.1.0",
        description = "Face detection, alignment and recognition on the JVM (MTCNN + MobileFaceNet).",
        subcommands = {DemoCommand.class, RunCommand.class, CameraCommand.class, DetectCommand.class,
            VerifyCommand.class, EvalCommand.class, BenchCommand.class, TrainCommand.class,
            TrainExperimentCommand.class})
public final class FaceStreamCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line; tests redirect its output with {@code setOut}/{@code setErr}. */
    public static CommandLine commandLine() {
        return new CommandLine(new FaceStreamCli());
    }
}
