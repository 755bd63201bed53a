package io.facestream.services.retrainer;

import io.micronaut.runtime.Micronaut;

/** The retrainer as its own service: feedback → labelled faces → gated fine-tuned models. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
