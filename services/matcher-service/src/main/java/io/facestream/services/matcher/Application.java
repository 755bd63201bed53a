package io.facestream.services.matcher;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Matching, enrollment and the matches API as one service. */
@OpenAPIDefinition(info = @Info(title = "FaceStream matcher", version = "0.1", description = "Enrollment, matches and sightings out."))
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
