package io.facestream.services.dashboard;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The dashboard on its own: it reads the topics it shows, writes {@code feedback} and {@code cameras}, and asks
 * the matcher's HTTP API for gallery writes ({@code MatcherClient}).
 */
@OpenAPIDefinition(info = @Info(title = "FaceStream dashboard", version = "0.1",
        description = "Review, labelling, cameras and statistics for operators."))
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
