package io.facestream.core.gallery;

import java.util.Optional;
import java.util.UUID;

/**
 * A gallery sample's key on the compacted {@code gallery} topic, {@code <identity>/<sample>}: the one place that
 * writes or reads that format. A rollout re-embeds a sample under a new model version as a twin whose sample id is
 * {@code <base>@<version>}, so every twin of a sample shares one base key and a twin's twin does not grow a chain.
 *
 * @param identityId not empty, without '/' (the first '/' of a key ends the identity)
 * @param sampleId   not empty
 */
public record GalleryKey(String identityId, String sampleId) {

    private static final char SEPARATOR = '/';
    private static final char VERSION_MARK = '@';

    public GalleryKey {
        if (identityId == null || identityId.isEmpty() || identityId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("an identity id must be non-empty and without '/', got " + identityId);
        }
        if (sampleId == null || sampleId.isEmpty()) {
            throw new IllegalArgumentException("a sample id must be non-empty");
        }
    }

    public static GalleryKey of(String identityId, String sampleId) {
        return new GalleryKey(identityId, sampleId);
    }

    /** A new sample of an identity, under a random id no other sample has. */
    public static GalleryKey newSample(String identityId) {
        return new GalleryKey(identityId, UUID.randomUUID().toString());
    }

    /** Reads a record key; empty when it is not {@code <identity>/<sample>}. */
    public static Optional<GalleryKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        int slash = key.indexOf(SEPARATOR);
        if (slash <= 0 || slash == key.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new GalleryKey(key.substring(0, slash), key.substring(slash + 1)));
    }

    /** The sample id its twins share: up to the first '@'. */
    public String baseSampleId() {
        int at = sampleId.indexOf(VERSION_MARK);
        return at < 0 ? sampleId : sampleId.substring(0, at);
    }

    /** The key every twin of this sample shares. */
    public GalleryKey base() {
        return new GalleryKey(identityId, baseSampleId());
    }

    /** This sample's twin under another model version. */
    public GalleryKey twin(String modelVersion) {
        if (modelVersion == null || modelVersion.isEmpty()) {
            throw new IllegalArgumentException("a twin needs a model version");
        }
        return new GalleryKey(identityId, baseSampleId() + VERSION_MARK + modelVersion);
    }

    /** The record key, {@code <identity>/<sample>}. */
    @Override
    public String toString() {
        return identityId + SEPARATOR + sampleId;
    }
}
