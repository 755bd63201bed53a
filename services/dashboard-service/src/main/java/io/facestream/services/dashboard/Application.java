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

    /**
     * The matcher's main class: when it is on the classpath (the all-in-one JVM) the matcher's own controllers
     * serve {@code /api/v1/matches}, {@code /sightings} and {@code /identities}, and the dashboard's stand-ins
     * for them stay out ({@code @Requires(missingClasses = ...)}).
     */
    public static final String MATCHER_APPLICATION = "io.facestream.services.matcher.Application";

    /**
     * The retrainer's main class: when it is on the classpath (the all-in-one JVM) its own controller serves
     * {@code /api/v1/models}, and the dashboard's pass-through to it stays out.
     */
    public static final String RETRAINER_APPLICATION = "io.facestream.services.retrainer.Application";

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
