package io.facestream.services.ingest;

import io.micronaut.runtime.Micronaut;

/** Frame ingest as its own service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
