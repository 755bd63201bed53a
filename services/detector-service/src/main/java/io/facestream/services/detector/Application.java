package io.facestream.services.detector;

import io.micronaut.runtime.Micronaut;

/** The detector as its own service: frames → faces + frame results. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
