package io.facestream.services.matcher;

import io.micronaut.runtime.Micronaut;

/** Matching, enrollment and the matches API as one service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
