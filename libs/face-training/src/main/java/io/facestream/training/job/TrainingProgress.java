package io.facestream.training.job;

/** Progress of a {@link TrainingJob}, called from the training thread. */
public interface TrainingProgress {

    /** Nothing to report. */
    TrainingProgress SILENT = new TrainingProgress() {
        @Override
        public void phase(String name) {
        }

        @Override
        public void step(int step, int steps, double loss) {
        }
    };

    /** A new phase starts: "split", "evaluate-before", "train", "evaluate-after", "report". */
    void phase(String name);

    /** A training step finished ({@code step} counts from 1). */
    void step(int step, int steps, double loss);
}
