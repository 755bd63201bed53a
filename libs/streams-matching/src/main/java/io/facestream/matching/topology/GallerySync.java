package io.facestream.matching.topology;

import java.time.Duration;

/**
 * Brings the matcher's gallery view up to date with everything already written to the gallery topics. The
 * matcher calls it the first time it sees an embedding of a model version: a new version's gallery is written
 * completely before the version is announced ACTIVE, so once the view has caught up, that gallery is whole.
 */
@FunctionalInterface
public interface GallerySync {

    /** For a view that is filled directly (tests): nothing to wait for. */
    GallerySync NONE = timeout -> true;

    /** @return false when the view did not catch up within the timeout */
    boolean awaitWritten(Duration timeout) throws InterruptedException;
}
