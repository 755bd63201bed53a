package io.facestream.services.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Frame ingest as its own service. */
@OpenAPIDefinition(info = @Info(title = "FaceStream ingest", version = "0.1", description = "Camera frames in."))
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
