package io.facestream.training.job;

/** How fine-tuning makes up for identities with few labelled faces. */
public enum Balancing {
    /** Cross-entropy weighted by {@code max(count)/count} of the training faces; plain shuffled batches. */
    CLASS_WEIGHTS,
    /** Plain cross-entropy; each batch slot draws a class uniformly, then one of its faces. */
    BALANCED_SAMPLING,
    /** Plain cross-entropy and shuffled batches: frequent identities dominate. */
    NONE
}
