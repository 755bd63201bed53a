package io.facestream.services.embedder;

import io.micronaut.runtime.Micronaut;

/** The embedder as its own service: faces → embeddings. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
