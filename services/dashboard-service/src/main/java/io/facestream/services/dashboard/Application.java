package io.facestream.services.dashboard;

import io.micronaut.runtime.Micronaut;

/** The dashboard with the matcher it watches (enrollment, matches, review, feedback, cameras, statistics). */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
