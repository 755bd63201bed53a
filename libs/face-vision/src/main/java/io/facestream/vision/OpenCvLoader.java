package io.facestream.vision;

import nu.pattern.OpenCV;

/**
 * Loads the OpenCV native library once per JVM. openpnp's {@code loadLocally()} may load twice when called
 * twice, so every entry point goes through here.
 */
public final class OpenCvLoader {

    private static volatile boolean loaded;

    private OpenCvLoader() {
    }

    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCvLoader.class) {
                if (!loaded) {
                    OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
