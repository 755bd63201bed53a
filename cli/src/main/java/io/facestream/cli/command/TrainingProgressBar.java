package io.facestream.cli.command;

import io.facestream.training.job.TrainingProgress;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr ({@code \r}-rewritten): phase, steps, loss and time left. */
final class TrainingProgressBar implements TrainingProgress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private long trainStart;
    private boolean midLine;

    TrainingProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void phase(String name) {
        endLine();
        err.println("[" + name + "]");
        err.flush();
        if (name.equals("train")) {
            trainStart = System.nanoTime();
        }
    }

    @Override
    public void step(int step, int steps, double loss) {
        double elapsed = (System.nanoTime() - trainStart) / 1e9;
        double eta = step == 0 ? 0 : elapsed / step * (steps - step);
        int filled = steps == 0 ? WIDTH : (int) ((long) WIDTH * step / steps);
        err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d loss %.4f  %.2f steps/s  ETA %s ",
                "#".repeat(filled), " ".repeat(WIDTH - filled), step, steps, loss, step / Math.max(elapsed, 1e-9),
                clock(eta)));
        err.flush();
        midLine = true;
        if (step == steps) {
            endLine();
        }
    }

    void endLine() {
        if (midLine) {
            err.println();
            err.flush();
            midLine = false;
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
